import { Knex } from 'knex';
import { StatisticsAggregates } from '../../types';
import { COUNTS, utcDayOf } from '../../messageCounts';
import { ofCampaign } from '../../messageQueries';
import { ATTEMPTS, MESSAGES } from '../../tables';
import { medianSecondsToRecovery } from './medianSecondsToRecovery';

/** See FailedMessageReads.getStatisticsAggregates. */
export async function getStatisticsAggregates(
  db: Knex,
  window: { fromDay: string; toDay: string; campaign?: string },
): Promise<StatisticsAggregates> {
  const from = new Date(`${window.fromDay}T00:00:00.000Z`);
  const until = new Date(
    new Date(`${window.toDay}T00:00:00.000Z`).getTime() + 24 * 3600 * 1000,
  );
  const day = utcDayOf(db, 'a.started_at');
  const [attempts, failures, medianRecovery] = await Promise.all([
    db(`${ATTEMPTS} as a`)
      .join(`${MESSAGES} as m`, 'm.id', 'a.message_id')
      .select(
        'a.trigger',
        'a.attempt_number',
        'a.outcome',
        db.raw(`coalesce(a.for_error_code, m.error_code) as error_code`),
        db.raw(`${day} as day`),
      )
      .count({ count: '*' })
      .where('a.started_at', '>=', from)
      .where('a.started_at', '<', until)
      .whereIn('a.outcome', ['succeeded', 'failed', 'outcome-unknown'])
      .modify(ofCampaign(window.campaign, 'm.campaign'))
      .groupByRaw(
        `a.trigger, a.attempt_number, a.outcome, coalesce(a.for_error_code, m.error_code), ${day}`,
      ),
    db(COUNTS)
      .select('failed_day', 'category', 'error_code')
      .sum({ count: 'count' })
      .where('failed_day', '>=', window.fromDay)
      .where('failed_day', '<=', window.toDay)
      .modify(ofCampaign(window.campaign))
      .groupBy('failed_day', 'category', 'error_code'),
    medianSecondsToRecovery(db, from, until, window.campaign),
  ]);
  return {
    attempts: attempts.map((row: any) => ({
      trigger: row.trigger,
      errorCode: row.error_code,
      attemptNumber: Number(row.attempt_number),
      day: row.day,
      outcome: row.outcome,
      count: Number(row.count),
    })),
    failures: failures
      .map((row: any) => ({
        day: row.failed_day,
        category: row.category,
        errorCode: row.error_code,
        count: Number(row.count),
      }))
      .filter(row => row.count > 0),
    medianSecondsToRecovery: medianRecovery,
  };
}

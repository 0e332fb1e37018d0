import { Knex } from 'knex';
import { StatisticsAggregates } from '../../types';
import { COUNTS, utcDayOf } from '../../messageCounts';
import { ofCampaign } from '../../messageQueries';
import { ATTEMPTS, isPostgres, MESSAGES } from '../../tables';
import { medianSecondsToRecovery } from './medianSecondsToRecovery';

/**
 * The UTC day an attempt started, to group by, and the same as
 * `YYYY-MM-DD`, to select. PostgreSQL groups by the date and formats each
 * group's, not each row's.
 */
function attemptDay(db: Knex) {
  if (!isPostgres(db)) {
    const day = utcDayOf(db, 'a.started_at');
    return { group: day, select: day };
  }
  const group = `(a.started_at AT TIME ZONE 'UTC')::date`;
  return { group, select: `to_char(${group}::timestamp, 'YYYY-MM-DD')` };
}

/** See FailedMessageReads.getStatisticsAggregates. */
export async function getStatisticsAggregates(
  db: Knex,
  window: { fromDay: string; toDay: string; campaign?: string },
): Promise<StatisticsAggregates> {
  const from = new Date(`${window.fromDay}T00:00:00.000Z`);
  const until = new Date(
    new Date(`${window.toDay}T00:00:00.000Z`).getTime() + 24 * 3600 * 1000,
  );
  const day = attemptDay(db);
  const [attempts, failures, medianRecovery] = await Promise.all([
    // Only columns of failed_message_attempts_statistics_idx: PostgreSQL
    // counts the attempts from the index alone.
    db(`${ATTEMPTS} as a`)
      .select(
        'a.trigger',
        'a.attempt_number',
        'a.outcome',
        'a.for_error_code',
        db.raw(`${day.select} as day`),
      )
      .count({ count: '*' })
      .where('a.started_at', '>=', from)
      .where('a.started_at', '<', until)
      .whereIn('a.outcome', ['succeeded', 'failed', 'outcome-unknown'])
      .modify(query => {
        if (window.campaign !== undefined) {
          query.whereIn(
            'a.message_id',
            db(MESSAGES).select('id').modify(ofCampaign(window.campaign)),
          );
        }
      })
      .groupByRaw(
        `a.trigger, a.attempt_number, a.outcome, a.for_error_code, ${day.group}`,
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
      errorCode: row.for_error_code,
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

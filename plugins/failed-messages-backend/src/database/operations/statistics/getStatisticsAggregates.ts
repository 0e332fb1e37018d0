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

/** The columns of the attempt groups, one per dimension, after the outcome. */
const DIMENSIONS = ['trigger', 'attempt_number', 'for_error_code', 'day'];

/**
 * Counts a window's finished attempts by outcome along each dimension on its
 * own. The database first groups them by every dimension at once, then sums
 * those groups per dimension, so Node reads a few hundred rows for any
 * number of attempts. Only columns of failed_message_attempts_statistics_idx
 * are read: PostgreSQL counts the attempts from the index alone.
 */
async function countAttempts(
  db: Knex,
  from: Date,
  until: Date,
  campaign: string | undefined,
): Promise<StatisticsAggregates['attempts']> {
  const day = attemptDay(db);
  const groups = db(`${ATTEMPTS} as a`)
    .select(
      'a.trigger',
      'a.attempt_number',
      'a.for_error_code',
      db.raw(`${day.select} as day`),
      'a.outcome',
    )
    .count({ count: '*' })
    .where('a.started_at', '>=', from)
    .where('a.started_at', '<', until)
    .whereIn('a.outcome', ['succeeded', 'failed', 'outcome-unknown'])
    .modify(query => {
      if (campaign !== undefined) {
        query.whereIn(
          'a.message_id',
          db(MESSAGES).select('id').modify(ofCampaign(campaign)),
        );
      }
    })
    .groupByRaw(
      `a.trigger, a.attempt_number, a.for_error_code, ${day.group}, a.outcome`,
    );
  // One branch per dimension; the other dimensions' columns are null.
  const sumsBy = (dimension: string) =>
    db('attempt_groups')
      .select(
        DIMENSIONS.map(column =>
          column === dimension ? column : db.raw(`null as ${column}`),
        ),
      )
      .select('outcome')
      .sum({ count: 'count' })
      .groupBy(dimension, 'outcome');
  const rows: any[] = await db
    .with('attempt_groups', groups)
    .unionAll(DIMENSIONS.map(sumsBy));
  const counted = (row: any) => ({
    outcome: row.outcome as string,
    count: Number(row.count),
  });
  return {
    byTrigger: rows
      .filter(row => row.trigger !== null)
      .map(row => ({ trigger: row.trigger, ...counted(row) })),
    byErrorCode: rows
      .filter(row => row.for_error_code !== null)
      .map(row => ({ errorCode: row.for_error_code, ...counted(row) })),
    byAttemptNumber: rows
      .filter(row => row.attempt_number !== null)
      .map(row => ({
        attemptNumber: Number(row.attempt_number),
        ...counted(row),
      })),
    byDay: rows
      .filter(row => row.day !== null)
      .map(row => ({ day: row.day, ...counted(row) })),
  };
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
  const [attempts, failures, medianRecovery] = await Promise.all([
    countAttempts(db, from, until, window.campaign),
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
    attempts,
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

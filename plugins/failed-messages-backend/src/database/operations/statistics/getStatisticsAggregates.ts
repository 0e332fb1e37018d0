import { Knex } from 'knex';
import { StatisticsAggregates } from '../../types';
import { ATTEMPT_COUNTS } from '../../attemptCounts';
import { COUNTS } from '../../messageCounts';
import { ofCampaign } from '../../messageQueries';
import { medianSecondsToRecovery } from './medianSecondsToRecovery';

/**
 * Sums a window's finished attempts by outcome along each dimension from
 * their counts (migrations/20261203120000_attempt_counts.js), and per day
 * from the trigger dimension, which counts every attempt once: a few hundred
 * rows into Node however many attempts there are.
 */
async function countAttempts(
  db: Knex,
  window: { fromDay: string; toDay: string; campaign?: string },
): Promise<StatisticsAggregates['attempts']> {
  const inWindow = (query: Knex.QueryBuilder) =>
    query
      .where('started_day', '>=', window.fromDay)
      .where('started_day', '<=', window.toDay)
      .modify(ofCampaign(window.campaign));
  const rows: Array<{
    dimension: string;
    value: string;
    outcome: string;
    count: string | number;
  }> = await db.unionAll([
    db(ATTEMPT_COUNTS)
      .select('dimension', 'value', 'outcome')
      .sum({ count: 'count' })
      .modify(inWindow)
      .groupBy('dimension', 'value', 'outcome'),
    db(ATTEMPT_COUNTS)
      .select(db.raw("'day' as dimension"), 'started_day as value', 'outcome')
      .sum({ count: 'count' })
      .modify(inWindow)
      .where('dimension', 'trigger')
      .groupBy('started_day', 'outcome'),
  ]);
  const counted = rows
    .map(row => ({ ...row, count: Number(row.count) }))
    .filter(row => row.count > 0);
  const along = (dimension: string) =>
    counted.filter(row => row.dimension === dimension);
  return {
    byTrigger: along('trigger').map(({ value, outcome, count }) => ({
      trigger: value,
      outcome,
      count,
    })),
    byErrorCode: along('error_code')
      .filter(row => row.value !== '')
      .map(({ value, outcome, count }) => ({
        errorCode: value,
        outcome,
        count,
      })),
    byAttemptNumber: along('attempt_number').map(
      ({ value, outcome, count }) => ({
        attemptNumber: Number(value),
        outcome,
        count,
      }),
    ),
    byDay: along('day').map(({ value, outcome, count }) => ({
      day: value,
      outcome,
      count,
    })),
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
    countAttempts(db, window),
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

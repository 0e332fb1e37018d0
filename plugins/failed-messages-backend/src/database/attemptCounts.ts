import { Knex } from 'knex';
import { foldCountShards } from './foldCountShards';

/**
 * Finished attempts per UTC day, campaign, dimension (trigger, attempt
 * number, error code) and outcome, kept by triggers
 * (migrations/20261203120000_attempt_counts.js).
 */
export const ATTEMPT_COUNTS = 'failed_message_attempt_counts';
const ATTEMPT_KEY_COLUMNS = [
  'started_day',
  'campaign',
  'dimension',
  'value',
  'outcome',
];

/** Folds the shards of each attempt count into one row (see compactCounts). */
export function compactAttemptCounts(knex: Knex): Promise<number> {
  return foldCountShards(knex, {
    table: ATTEMPT_COUNTS,
    keyColumns: ATTEMPT_KEY_COLUMNS,
    countColumns: ['count'],
  });
}

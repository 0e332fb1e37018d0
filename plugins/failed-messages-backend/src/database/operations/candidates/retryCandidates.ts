import { Knex } from 'knex';
import { DueMessage, MessageQueryFilter, RetryCandidate } from '../../types';
import { newerDeliveredColumn, whereAfter } from '../../messageQueries';
import { CandidateRow, LIST_COLUMNS, rowToCandidate } from '../../rows';
import { MAX_ROWS_PER_STATEMENT, MESSAGES } from '../../tables';
import { streamMessageRows } from '../reads/streamMessages';

/* Messages read with their newer-delivery flag, for retry decisions. */

/** See RetryCandidateReads.streamRetryCandidates. */
export function streamRetryCandidates(
  db: Knex,
  filter: MessageQueryFilter,
  chunkSize = 1000,
): AsyncIterable<RetryCandidate> {
  return streamMessageRows(
    db,
    filter,
    [...LIST_COLUMNS, 'payload', newerDeliveredColumn(db, MESSAGES)],
    chunkSize,
    rowToCandidate,
  );
}

/** See RetryCandidateReads.getRetryCandidates. */
export async function getRetryCandidates(
  db: Knex,
  ids: string[],
): Promise<RetryCandidate[]> {
  const candidates: RetryCandidate[] = [];
  for (let start = 0; start < ids.length; start += MAX_ROWS_PER_STATEMENT) {
    const rows: CandidateRow[] = await db(`${MESSAGES} as m`)
      .select('m.*', newerDeliveredColumn(db, 'm'))
      .whereIn('m.id', ids.slice(start, start + MAX_ROWS_PER_STATEMENT));
    candidates.push(...rows.map(rowToCandidate));
  }
  return candidates;
}

/** See RetryCandidateReads.listDueForAutomaticRetry. */
export async function listDueForAutomaticRetry(
  db: Knex,
  options: {
    now: Date;
    maxAttempts: number;
    limit: number;
    after?: { nextAutomaticRetryAt: string; id: string };
  },
): Promise<DueMessage[]> {
  const query = db(`${MESSAGES} as m`)
    .select('m.*', newerDeliveredColumn(db, 'm'))
    .where('category', 'retryable')
    .whereIn('retry_status', ['never-retried', 'retry-failed'])
    .whereNull('resolved_at')
    // A dismissed message keeps its next time for when it is reopened.
    .where('state', 'open')
    .whereNotNull('payload')
    .where('automatic_attempts', '<', options.maxAttempts)
    .where('next_automatic_retry_at', '<=', options.now)
    .orderBy([
      { column: 'next_automatic_retry_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ])
    .limit(options.limit);
  if (options.after) {
    whereAfter(query, 'next_automatic_retry_at', 'asc', {
      at: new Date(options.after.nextAutomaticRetryAt),
      id: options.after.id,
    });
  }
  const rows: CandidateRow[] = await query;
  return rows.map(rowToCandidate);
}

import { Knex } from 'knex';
import {
  Category,
  FailedMessagePage,
  FailedMessageSummary,
  SortField,
} from '@msgops/plugin-failed-messages-common';
import { MessageListQuery, MessageQueryFilter } from '../../types';
import { countByCategory } from '../../messageCounts';
import { filteredMessages } from '../../messageQueries';
import { LIST_COLUMNS, MessageRow, rowToMessage } from '../../rows';

const SORT_EXPRESSIONS: Record<SortField, string> = {
  failedAt: 'failed_at',
  errorCode: 'error_code',
  attempts: '(automatic_attempts + manual_attempts)',
  nextAutomaticRetryAt: 'next_automatic_retry_at',
};

/** Matching messages per category, mostly from the counts (countByCategory). */
function countMatching(
  db: Knex,
  filter: MessageQueryFilter,
): Promise<Map<Category, number>> {
  return countByCategory(
    db,
    filter,
    async part =>
      (await filteredMessages(db, part)
        .select('category')
        .count({ count: '*' })
        .groupBy('category')) as { category: string; count: number }[],
  );
}

/** See FailedMessageReads.listMessages. */
export async function listMessages(
  db: Knex,
  query: MessageListQuery,
): Promise<FailedMessagePage> {
  const direction = query.order;
  const [items, counts] = await Promise.all([
    filteredMessages(db, query.filter)
      .select(LIST_COLUMNS)
      .orderByRaw(
        `${SORT_EXPRESSIONS[query.sort]} ${direction}${
          query.sort === 'nextAutomaticRetryAt' ? ' nulls last' : ''
        }, id ${direction}`,
      )
      .limit(query.limit)
      .offset(query.offset),
    countMatching(db, query.filter),
  ]);
  let totalCount = 0;
  for (const count of counts.values()) {
    totalCount += count;
  }
  return { items: (items as MessageRow[]).map(rowToMessage), totalCount };
}

/** See FailedMessageReads.summarize. */
export async function summarize(
  db: Knex,
  filter: MessageQueryFilter,
): Promise<FailedMessageSummary> {
  const counts = await countMatching(db, filter);
  const retryable = counts.get('retryable') ?? 0;
  const nonRetryable = counts.get('non-retryable') ?? 0;
  const businessLogic = counts.get('business-logic') ?? 0;
  return {
    total: retryable + nonRetryable + businessLogic,
    retryable,
    nonRetryable,
    businessLogic,
  };
}

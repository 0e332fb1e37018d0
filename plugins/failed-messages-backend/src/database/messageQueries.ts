import { Knex } from 'knex';
import { MessageQueryFilter } from './types';
import { applyDimensionFilters } from './messageCounts';
import { BULK_ITEMS, MESSAGES, SEARCH } from './tables';

/* Query pieces that several of the store's operations share. */

/** Narrows a query to `campaign` where one is given, for `.modify`. */
export function ofCampaign(campaign: string | undefined, column = 'campaign') {
  return (query: Knex.QueryBuilder) => {
    if (campaign !== undefined) {
      query.where(column, campaign);
    }
  };
}

/** Escapes LIKE wildcards so a search for "50%" means the characters. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

/** The messages that match a filter, as a query to select from. */
export function filteredMessages(
  db: Knex | Knex.Transaction,
  filter: MessageQueryFilter,
): Knex.QueryBuilder {
  const query = db(MESSAGES);
  if (filter.from) {
    query.where('failed_at', '>=', filter.from);
  }
  if (filter.to) {
    query.where('failed_at', '<=', filter.to);
  }
  applyDimensionFilters(query, filter);
  if (filter.q) {
    // The search text is kept by triggers (migrations/20261202000000_search_table.js).
    query.whereIn(
      'id',
      db(SEARCH)
        .select('message_id')
        .whereRaw(`text like ? escape '\\'`, [
          likePattern(filter.q.toLocaleLowerCase('en-US')),
        ]),
    );
  }
  if (filter.bulkRetryId) {
    // The run's items, by their primary key (bulk_retry_id, position).
    query.whereIn(
      'id',
      db(BULK_ITEMS)
        .select('message_id')
        .where('bulk_retry_id', filter.bulkRetryId),
    );
  }
  return query;
}

/**
 * Whether a later message to the same recipient with the same template was
 * delivered, for the message row named `table` (an alias or the messages
 * table itself): a retry candidate's newerDelivered, as the column
 * `newer_delivered`. The partial index failed_messages_delivered_idx holds
 * exactly the rows this looks for.
 */
export function newerDeliveredColumn(db: Knex, table: string): Knex.Raw {
  return db.raw(`(${table}.template_name is not null and exists (
  select 1 from ${MESSAGES} n
   where n.recipient = ${table}.recipient and n.template_name = ${table}.template_name
     and n.failed_at > ${table}.failed_at and n.resolved_at is not null)) as newer_delivered`);
}

/**
 * Keeps the rows that come after `after` in the order of (`column`, id),
 * ascending or descending: keyset pagination, stable under concurrent
 * inserts and as fast on the last page as on the first.
 */
export function whereAfter(
  query: Knex.QueryBuilder,
  column: string,
  order: 'asc' | 'desc',
  after: { at: Date; id: string },
): Knex.QueryBuilder {
  const beyond = order === 'asc' ? '>' : '<';
  const { at, id } = after;
  // The plain bound lets the index seek; the OR alone is only a filter.
  return query
    .where(column, `${beyond}=`, at)
    .where(q =>
      q
        .where(column, beyond, at)
        .orWhere(q2 => q2.where(column, '=', at).where('id', beyond, id)),
    );
}

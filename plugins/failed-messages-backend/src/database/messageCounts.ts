import { Knex } from 'knex';
import { Category } from '@internal/plugin-failed-messages-common';
import { MessageQueryFilter } from './FailedMessageStore';

export const COUNTS = 'failed_message_counts';
/** How many rows each count is spread over. */
export const SHARDS = 8;
const DAY_MS = 24 * 60 * 60 * 1000;

export const KEY_COLUMNS = [
  'failed_day',
  'category',
  'error_code',
  'retry_status',
  'campaign',
];

/** The dimensions a message is counted under. */
export interface CountKey {
  failedAt: Date | string | number;
  category: string;
  errorCode: string;
  retryStatus: string;
  campaign: string | null;
}

function failedDay(failedAt: CountKey['failedAt']): string {
  return new Date(failedAt).toISOString().slice(0, 10);
}

/**
 * Adds `delta` to the count of each key, in the caller's transaction. A
 * random shard takes the change, so concurrent writers rarely wait on the
 * same row.
 */
export async function adjustCounts(
  tx: Knex.Transaction | Knex,
  changes: Array<{ key: CountKey; delta: number }>,
): Promise<void> {
  const byKey = new Map<
    string,
    { row: Record<string, string>; delta: number }
  >();
  for (const { key, delta } of changes) {
    const row = {
      failed_day: failedDay(key.failedAt),
      category: key.category,
      error_code: key.errorCode,
      retry_status: key.retryStatus,
      campaign: key.campaign ?? '',
    };
    const id = Object.values(row).join('\u0000');
    const entry = byKey.get(id) ?? { row, delta: 0 };
    entry.delta += delta;
    byKey.set(id, entry);
  }
  // One statement for all keys, in a fixed order so that concurrent writers
  // take row locks in the same order and cannot deadlock.
  const rows = [...byKey.entries()]
    .filter(([, { delta }]) => delta !== 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, { row, delta }]) => ({
      ...row,
      shard: Math.floor(Math.random() * SHARDS),
      count: delta,
    }));
  // Chunks stay well under SQLite's limit on bound variables.
  for (let start = 0; start < rows.length; start += 500) {
    await tx(COUNTS)
      .insert(rows.slice(start, start + 500))
      .onConflict([...KEY_COLUMNS, 'shard'])
      .merge({
        count: tx.raw('?? + excluded.??', [`${COUNTS}.count`, 'count']),
      });
  }
}

/** Moves one message from the key it was counted under to its new one. */
export function moveCount(before: CountKey, after: CountKey) {
  return [
    { key: before, delta: -1 },
    { key: after, delta: 1 },
  ];
}

/**
 * Folds the shards of each count into one row and drops counts that reached
 * zero, so the table stays as small as the number of distinct keys. Returns
 * how many keys it folded.
 */
export async function compactCounts(knex: Knex, limit = 1000): Promise<number> {
  const keys: Record<string, string>[] = await knex(COUNTS)
    .select(KEY_COLUMNS)
    .groupBy(KEY_COLUMNS)
    .havingRaw('count(*) > 1 or sum(count) = 0')
    .limit(limit);
  for (const key of keys) {
    await knex.transaction(async tx => {
      const rows: { count: number | string }[] = await tx(COUNTS)
        .select('count')
        .where(key)
        .forUpdate();
      const total = rows.reduce((sum, row) => sum + Number(row.count), 0);
      await tx(COUNTS).where(key).delete();
      if (total !== 0) {
        await tx(COUNTS).insert({ ...key, shard: 0, count: total });
      }
    });
  }
  return keys.length;
}

/** SQL for the UTC day (YYYY-MM-DD) of a timestamp column. */
export function utcDayOf(knex: Knex, column: string): string {
  return knex.client.config.client === 'pg'
    ? `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
    : `strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`;
}

/** Recounts everything from failed_messages, e.g. after rows were loaded in bulk. */
export async function rebuildCounts(knex: Knex): Promise<void> {
  const day = utcDayOf(knex, 'failed_at');
  await knex.transaction(async tx => {
    await tx(COUNTS).delete();
    await tx.raw(
      `INSERT INTO ${COUNTS}
         (failed_day, category, error_code, retry_status, campaign, shard, count)
       SELECT ${day}, category, error_code, retry_status, coalesce(campaign, ''), 0, count(*)
       FROM failed_messages
       GROUP BY ${day}, category, error_code, retry_status, coalesce(campaign, '')`,
    );
  });
}

/**
 * The filters on columns that failed_messages and the counts table share;
 * the time window is applied by each on its own column.
 */
export function applyDimensionFilters(
  query: Knex.QueryBuilder,
  filter: MessageQueryFilter,
): Knex.QueryBuilder {
  if (filter.category?.length) {
    query.whereIn('category', filter.category);
  }
  if (filter.errorCode?.length) {
    query.whereIn('error_code', filter.errorCode);
  }
  if (filter.retryStatus?.length) {
    query.whereIn('retry_status', filter.retryStatus);
  }
  if (filter.campaign) {
    query.where('campaign', filter.campaign);
  }
  return query;
}

type CountRow = { category: string; count: number | string };

/**
 * Counts matching messages per category: whole days from the counts table,
 * the partial first and last day of a time window from failed_messages
 * (`countRows` runs the filter there). Free-text search has no counts and
 * is counted on failed_messages entirely.
 */
export async function countByCategory(
  knex: Knex,
  filter: MessageQueryFilter,
  countRows: (filter: MessageQueryFilter) => Promise<CountRow[]>,
): Promise<Map<Category, number>> {
  const totals = new Map<Category, number>();
  const add = (rows: CountRow[]) => {
    for (const row of rows) {
      const category = row.category as Category;
      totals.set(category, (totals.get(category) ?? 0) + Number(row.count));
    }
  };
  if (filter.q) {
    add(await countRows(filter));
    return totals;
  }

  const lo = filter.from?.getTime() ?? -Infinity;
  const hi = filter.to?.getTime() ?? Infinity;
  // Whole days lie in [firstFull, endFull); `to` is inclusive.
  const firstFull = Number.isFinite(lo) ? Math.ceil(lo / DAY_MS) * DAY_MS : lo;
  const endFull = Number.isFinite(hi)
    ? Math.floor((hi + 1) / DAY_MS) * DAY_MS
    : hi;
  if (firstFull >= endFull) {
    add(await countRows(filter));
    return totals;
  }

  const query = knex(COUNTS)
    .select('category')
    .sum({ count: 'count' })
    .groupBy('category');
  if (Number.isFinite(firstFull)) {
    query.where('failed_day', '>=', failedDay(firstFull));
  }
  if (Number.isFinite(endFull)) {
    query.where('failed_day', '<', failedDay(endFull));
  }
  applyDimensionFilters(query, filter);
  const parts: Array<Promise<CountRow[]>> = [
    query.then(rows => rows as CountRow[]),
  ];
  if (filter.from && lo < firstFull) {
    parts.push(
      countRows({ ...filter, from: filter.from, to: new Date(firstFull - 1) }),
    );
  }
  if (filter.to && endFull <= hi) {
    parts.push(
      countRows({ ...filter, from: new Date(endFull), to: filter.to }),
    );
  }
  for (const rows of await Promise.all(parts)) {
    add(rows);
  }
  return totals;
}

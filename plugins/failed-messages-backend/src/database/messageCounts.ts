import { Knex } from 'knex';
import { Category } from '@msgops/plugin-failed-messages-common';
import { MessageQueryFilter } from './FailedMessageStore';
import { compactAttemptCounts } from './attemptCounts';
import { foldCountShards } from './foldCountShards';
import { isPostgres, MAX_ROWS_PER_STATEMENT } from './tables';

export const COUNTS = 'failed_message_counts';
/**
 * The same counts per UTC month, so a long or unbounded window sums a few
 * thousand rows instead of one per day and key.
 */
export const MONTH_COUNTS = 'failed_message_month_counts';
/** How many rows each count is spread over. */
export const SHARDS = 8;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The columns both levels share after their period column. */
const DIMENSION_COLUMNS = [
  'category',
  'error_code',
  'retry_status',
  'state',
  'campaign',
  'phone_number_id',
];
export const KEY_COLUMNS = ['failed_day', ...DIMENSION_COLUMNS];
export const MONTH_KEY_COLUMNS = ['failed_month', ...DIMENSION_COLUMNS];

/**
 * Each counts table and the period of a day it counts under, daily first:
 * the order every writer locks them in.
 */
const LEVELS = [
  {
    table: COUNTS,
    keyColumns: KEY_COLUMNS,
    period: (day: string) => day,
  },
  {
    table: MONTH_COUNTS,
    keyColumns: MONTH_KEY_COLUMNS,
    period: (day: string) => day.slice(0, 7),
  },
];

/** The dimensions a message is counted under. */
export interface CountKey {
  failedAt: Date | string | number;
  category: string;
  errorCode: string;
  retryStatus: string;
  state: string;
  campaign: string | null;
  phoneNumberId: string | null;
}

function failedDay(failedAt: CountKey['failedAt']): string {
  return new Date(failedAt).toISOString().slice(0, 10);
}

/**
 * Adds `delta` to the count of each key, per day and per month, in the
 * caller's transaction. A random shard takes the change, so concurrent
 * writers rarely wait on the same row.
 */
export async function adjustCounts(
  tx: Knex.Transaction | Knex,
  changes: Array<{ key: CountKey; delta: number }>,
): Promise<void> {
  for (const { table, keyColumns, period } of LEVELS) {
    const byKey = new Map<
      string,
      { row: Record<string, string>; delta: number }
    >();
    for (const { key, delta } of changes) {
      const row = {
        [keyColumns[0]]: period(failedDay(key.failedAt)),
        category: key.category,
        error_code: key.errorCode,
        retry_status: key.retryStatus,
        state: key.state,
        campaign: key.campaign ?? '',
        phone_number_id: key.phoneNumberId ?? '',
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
    for (let start = 0; start < rows.length; start += MAX_ROWS_PER_STATEMENT) {
      await tx(table)
        .insert(rows.slice(start, start + MAX_ROWS_PER_STATEMENT))
        .onConflict([...keyColumns, 'shard'])
        .merge({
          count: tx.raw('?? + excluded.??', [`${table}.count`, 'count']),
        });
    }
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
 * Folds the shards of each count, daily and monthly, and of the attempt
 * counts into one row and drops counts that reached zero, so the tables
 * stay as small as the number of distinct keys. Returns how many keys it
 * folded.
 */
export async function compactCounts(knex: Knex): Promise<number> {
  let folded = 0;
  for (const { table, keyColumns } of LEVELS) {
    folded += await foldCountShards(knex, {
      table,
      keyColumns,
      countColumns: ['count'],
    });
  }
  return folded + (await compactAttemptCounts(knex));
}

/** SQL for the UTC day (YYYY-MM-DD) of a timestamp column. */
export function utcDayOf(knex: Knex, column: string): string {
  return isPostgres(knex)
    ? `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
    : `strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`;
}

/** Recounts everything from failed_messages, e.g. after rows were loaded in bulk. */
export async function rebuildCounts(knex: Knex): Promise<void> {
  const day = utcDayOf(knex, 'failed_at');
  await knex.transaction(async tx => {
    await tx(COUNTS).delete();
    await tx(MONTH_COUNTS).delete();
    // Written in key order so the rows of a time window share a few pages;
    // in the aggregate's hash order a week's rows touched every page.
    await tx.raw(
      `INSERT INTO ${COUNTS}
         (failed_day, category, error_code, retry_status, state, campaign, phone_number_id, shard, count)
       SELECT ${day}, category, error_code, retry_status, state, coalesce(campaign, ''), coalesce(phone_number_id, ''), 0, count(*)
       FROM failed_messages
       GROUP BY ${day}, category, error_code, retry_status, state, coalesce(campaign, ''), coalesce(phone_number_id, '')
       ORDER BY 1, 2, 3, 4, 5, 6, 7`,
    );
    await tx.raw(
      `INSERT INTO ${MONTH_COUNTS}
         (failed_month, category, error_code, retry_status, state, campaign, phone_number_id, shard, count)
       SELECT substr(failed_day, 1, 7), category, error_code, retry_status, state, campaign, phone_number_id, 0, sum(count)
       FROM ${COUNTS}
       GROUP BY substr(failed_day, 1, 7), category, error_code, retry_status, state, campaign, phone_number_id
       ORDER BY 1, 2, 3, 4, 5, 6, 7`,
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
  // The state is a key of the counts (migrations/20261203030000_dismissals.js),
  // so the page's default view, open failures only, is summed from the
  // counts as fast as the unfiltered one instead of counted row by row.
  if (filter.state?.length) {
    query.whereIn('state', filter.state);
  }
  if (filter.campaign) {
    query.where('campaign', filter.campaign);
  }
  if (filter.phoneNumberId?.length) {
    query.whereIn('phone_number_id', filter.phoneNumberId);
  }
  return query;
}

type CountRow = { category: string; count: number | string };

/** The first instant of the UTC month that `time` (ms) falls in. */
function monthStart(time: number): number {
  const date = new Date(time);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** The first instant of the UTC month after the one `time` falls in. */
function nextMonthStart(time: number): number {
  const date = new Date(time);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/**
 * Counts matching messages per category: whole months from the monthly
 * counts, the remaining whole days from the daily counts, the partial first
 * and last day of a time window from failed_messages (`countRows` runs the
 * filter there), each as its part inside the window or as the whole day less
 * its part outside. Free-text search and a bulk retry's messages have no
 * counts and are counted on failed_messages entirely.
 */
export async function countByCategory(
  knex: Knex,
  filter: MessageQueryFilter,
  countRows: (filter: MessageQueryFilter) => Promise<CountRow[]>,
): Promise<Map<Category, number>> {
  const totals = new Map<Category, number>();
  const add = (rows: CountRow[], sign = 1) => {
    for (const row of rows) {
      const category = row.category as Category;
      totals.set(
        category,
        (totals.get(category) ?? 0) + sign * Number(row.count),
      );
    }
  };
  if (filter.q || filter.bulkRetryId) {
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
  // A partial day is counted on failed_messages over its shorter side: the
  // part inside the window, or the whole day from the counts less the part
  // outside it. So no more than half a day of messages is read.
  let countedStart = firstFull;
  let countedEnd = endFull;
  const inside: MessageQueryFilter[] = [];
  const outside: MessageQueryFilter[] = [];
  if (filter.from && lo < firstFull) {
    const dayStart = firstFull - DAY_MS;
    if (lo - dayStart < firstFull - lo) {
      countedStart = dayStart;
      outside.push({
        ...filter,
        from: new Date(dayStart),
        to: new Date(lo - 1),
      });
    } else {
      inside.push({ ...filter, to: new Date(firstFull - 1) });
    }
  }
  if (filter.to && endFull <= hi) {
    const dayEnd = endFull + DAY_MS;
    if (dayEnd - (hi + 1) < hi + 1 - endFull) {
      countedEnd = dayEnd;
      outside.push({
        ...filter,
        from: new Date(hi + 1),
        to: new Date(dayEnd - 1),
      });
    } else {
      inside.push({ ...filter, from: new Date(endFull) });
    }
  }
  // Whole months lie in [firstMonth, endMonth), inside the counted days.
  let firstMonth = countedStart;
  if (
    Number.isFinite(countedStart) &&
    monthStart(countedStart) !== countedStart
  ) {
    firstMonth = nextMonthStart(countedStart);
  }
  const endMonth = Number.isFinite(countedEnd)
    ? monthStart(countedEnd)
    : countedEnd;

  const sumByCategory = (table: string) =>
    knex(table).select('category').sum({ count: 'count' }).groupBy('category');
  const parts: Array<Promise<CountRow[]>> = [];
  // Whole days outside the whole months, as [start, end) ranges.
  const dayRanges: Array<[number, number]> = [];
  if (firstMonth < endMonth) {
    const months = sumByCategory(MONTH_COUNTS);
    if (Number.isFinite(firstMonth)) {
      months.where('failed_month', '>=', failedDay(firstMonth).slice(0, 7));
    }
    if (Number.isFinite(endMonth)) {
      months.where('failed_month', '<', failedDay(endMonth).slice(0, 7));
    }
    applyDimensionFilters(months, filter);
    parts.push(months.then(rows => rows as CountRow[]));
    if (countedStart < firstMonth) dayRanges.push([countedStart, firstMonth]);
    if (endMonth < countedEnd) dayRanges.push([endMonth, countedEnd]);
  } else {
    dayRanges.push([countedStart, countedEnd]);
  }
  if (dayRanges.length) {
    const days = sumByCategory(COUNTS).where(range => {
      for (const [start, end] of dayRanges) {
        range.orWhere(day => {
          if (Number.isFinite(start)) {
            day.where('failed_day', '>=', failedDay(start));
          }
          if (Number.isFinite(end)) {
            day.where('failed_day', '<', failedDay(end));
          }
        });
      }
    });
    applyDimensionFilters(days, filter);
    parts.push(days.then(rows => rows as CountRow[]));
  }
  parts.push(...inside.map(countRows));
  const [added, subtracted] = await Promise.all([
    Promise.all(parts),
    Promise.all(outside.map(countRows)),
  ]);
  for (const rows of added) {
    add(rows);
  }
  for (const rows of subtracted) {
    add(rows, -1);
  }
  return totals;
}

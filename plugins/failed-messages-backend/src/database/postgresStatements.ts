import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import {
  COUNTS,
  KEY_COLUMNS,
  MONTH_COUNTS,
  MONTH_KEY_COLUMNS,
  SHARDS,
  utcDayOf,
} from './messageCounts';
import { MESSAGES } from './tables';

/*
 * The pieces of the PostgreSQL statements of the retry hot path: the claims
 * (and the finishes) of many retries are one statement (data-modifying CTEs)
 * instead of a transaction each, because at thousands of retries a second
 * the round trips, commits and waits on the same count rows, not the work,
 * are the cost. Each statement is atomic on its own; SQLite runs the same
 * changes in a transaction per retry, next to each statement in its
 * operation's file (operations/claims).
 *
 * Every statement locks the message rows first, in id order, then their
 * attempts, then the count rows in key order, like the transactions; the
 * attempt counts come last, from their trigger at the end of the statement
 * (migrations/20261203120000_attempt_counts.js).
 */

const KEYS = KEY_COLUMNS.join(', ');
const MONTH_KEYS = MONTH_KEY_COLUMNS.join(', ');
/** The order adjustCounts sorts keys in, so every writer locks count rows alike. */
function keyOrder(columns: string[]): string {
  return columns.map(column => `${column} COLLATE "C"`).join(', ');
}
const KEY_ORDER = keyOrder(KEY_COLUMNS);
const MONTH_KEY_ORDER = keyOrder(MONTH_KEY_COLUMNS);

/**
 * A statement of the retry hot path as a named prepared statement: each
 * connection parses and plans it once instead of for every batch (parsing
 * and planning were a sixth of PostgreSQL's time in `yarn bench:retry` a).
 * Its text is the same for any number of rows (typedRows), and the name
 * carries a hash of it, so a changed text is prepared anew.
 */
export function preparedRaw(
  db: Knex,
  name: string,
  sql: string,
  bindings: readonly Knex.Value[],
): Knex.Raw {
  // knex's PostgreSQL client hands these options to pg's query().
  return db.raw(sql, bindings).options({ name: preparedName(name, sql) });
}

/**
 * Statement names by name, then text, so each text is hashed once (and
 * not joined to its name into a new string on every batch).
 */
const preparedNames = new Map<string, Map<string, string>>();

function preparedName(name: string, sql: string): string {
  let byText = preparedNames.get(name);
  if (!byText) {
    byText = new Map();
    preparedNames.set(name, byText);
  }
  let prepared = byText.get(sql);
  if (!prepared) {
    const hash = createHash('sha256').update(sql).digest('hex').slice(0, 16);
    prepared = `failed_messages_${name}_${hash}`;
    byText.set(sql, prepared);
  }
  return prepared;
}

/**
 * The rows as a table with one typed array parameter per column: a few
 * parameters however many rows, which PostgreSQL parses and plans several
 * times faster than a `VALUES` list of thousands of parameters.
 */
export function typedRows<T>(
  rows: T[],
  columns: Array<[name: string, type: string, value: (row: T) => Knex.Value]>,
) {
  return {
    sql: `unnest(${columns
      .map(([, type]) => `?::${type}[]`)
      .join(', ')}) AS v(${columns.map(([name]) => name).join(', ')})`,
    bindings: columns.map(([, , value]) => rows.map(value)) as Knex.Value[],
  };
}

/**
 * Moves the counts of the messages in `moves` (a CTE of count keys with
 * -1 or +1, see countMovesOf), per day and per month, summed per key so each count row is
 * changed once, in key order; the daily rows first, like adjustCounts.
 */
const COUNT_MOVES = `counted AS (
  INSERT INTO ${COUNTS} (${KEYS}, shard, count)
  SELECT ${KEYS}, floor(random() * ${SHARDS})::int, sum(count)
    FROM moves GROUP BY ${KEYS} HAVING sum(count) <> 0
   ORDER BY ${KEY_ORDER}
  ON CONFLICT (${KEYS}, shard)
  DO UPDATE SET count = ${COUNTS}.count + excluded.count
), counted_months AS (
  INSERT INTO ${MONTH_COUNTS} (${MONTH_KEYS}, shard, count)
  SELECT ${MONTH_KEYS}, floor(random() * ${SHARDS})::int, sum(count)
    FROM (SELECT substr(failed_day, 1, 7) AS failed_month, * FROM moves) m
   GROUP BY ${MONTH_KEYS} HAVING sum(count) <> 0
   ORDER BY ${MONTH_KEY_ORDER}
  ON CONFLICT (${MONTH_KEYS}, shard)
  DO UPDATE SET count = ${MONTH_COUNTS}.count + excluded.count
)`;

/**
 * A CTE that locks the messages named in the `input` CTE, in id order: every
 * statement takes its locks in that order, so concurrent batches and
 * replicas cannot deadlock.
 */
export function lockInputMessages(name: string, columns: string): string {
  return `${name} AS (
       SELECT ${columns} FROM ${MESSAGES}
        WHERE id IN (SELECT message_id FROM input)
        ORDER BY id FOR UPDATE
     )`;
}

/** Where a count key comes from: SQL expressions over a CTE's columns. */
interface CountKeyColumns {
  category: string;
  errorCode: string;
  retryStatus: string;
  state: string;
}

/** A key whose category, error code and state stay as they are. */
export const SAME_KEY = {
  category: 'category',
  errorCode: 'error_code',
  state: 'state',
};

/**
 * The count moves of the messages in the CTE `source` (with `failed_at`,
 * `campaign`, `phone_number_id` and the columns `from` and `to` name): -1 where each was counted, +1 where it is counted now.
 */
export function countMovesOf(
  db: Knex,
  source: string,
  from: CountKeyColumns,
  to: CountKeyColumns,
): string {
  const failedDay = utcDayOf(db, 'failed_at');
  return `moves AS (
       SELECT ${failedDay} AS failed_day, ${from.category} AS category,
              ${from.errorCode} AS error_code, ${from.retryStatus} AS retry_status,
              ${from.state} AS state, coalesce(campaign, '') AS campaign,
              coalesce(phone_number_id, '') AS phone_number_id, -1 AS count
         FROM ${source}
       UNION ALL
       SELECT ${failedDay}, ${to.category}, ${to.errorCode}, ${to.retryStatus},
              ${to.state}, coalesce(campaign, ''), coalesce(phone_number_id, ''), 1
         FROM ${source}
     ), ${COUNT_MOVES}`;
}

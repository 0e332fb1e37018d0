import { Knex } from 'knex';
import { BULK_OUTCOME_COUNTER, BulkItemRecord } from './FailedMessageStore';
import {
  CountChangeRow,
  COUNTS,
  KEY_COLUMNS,
  SHARDS,
  utcDayOf,
} from './messageCounts';

/*
 * The retry hot path on PostgreSQL: each write is one statement (data-
 * modifying CTEs) instead of a transaction of several, because at thousands
 * of retries a second the round trips, not the work, are the cost. Each
 * statement is atomic on its own; SQLite runs the same changes in a
 * transaction (KnexFailedMessageStore).
 *
 * Every statement locks in the same order as the transactions it replaces:
 * the message row, then its attempt, then the count rows in key order.
 */

const MESSAGES = 'failed_messages';
const ATTEMPTS = 'failed_message_attempts';
const BULK = 'failed_message_bulk_retries';
const BULK_ITEMS = 'failed_message_bulk_retry_items';

const KEYS = KEY_COLUMNS.join(', ');
const COUNT_UPSERT = `ON CONFLICT (${KEYS}, shard)
  DO UPDATE SET count = ${COUNTS}.count + excluded.count`;
/** The order of `countChangeRows`, so every writer locks count rows alike. */
const KEY_ORDER = KEY_COLUMNS.map(column => `${column} COLLATE "C"`).join(', ');

/** A column name as an identifier (`trigger` is a keyword). */
function quoted(column: string) {
  return `"${column}"`;
}

/** `VALUES (…), (…)` of count rows, typed so PostgreSQL need not guess. */
function countValues(rows: CountChangeRow[]) {
  return {
    sql: rows
      .map(
        () =>
          '(?::text, ?::text, ?::text, ?::text, ?::text, ?::int, ?::bigint)',
      )
      .join(', '),
    bindings: rows.flatMap(row => [
      row.failed_day,
      row.category,
      row.error_code,
      row.retry_status,
      row.campaign,
      row.shard,
      row.count,
    ]),
  };
}

/**
 * Claims the message if it is still as read, inserts the attempt and moves
 * the count, in one statement. Returns whether the claim won.
 */
export async function claimAttemptStatement(
  db: Knex,
  claim: {
    messageId: string;
    /** The message as read: the claim wins only if it is unchanged. */
    expected: {
      retryStatus: string;
      category: string;
      errorCode: string;
      automaticAttempts: number;
      manualAttempts: number;
    };
    set: {
      automaticAttempts: number;
      manualAttempts: number;
      leaseUntil: Date;
      now: Date;
    };
    attempt: Record<string, Knex.Value> & { id: string };
    counts: CountChangeRow[];
  },
): Promise<boolean> {
  const { expected, set, attempt } = claim;
  const attemptColumns = Object.keys(attempt).filter(c => c !== 'message_id');
  const values = countValues(claim.counts);
  const counted = claim.counts.length
    ? `, counted AS (
        INSERT INTO ${COUNTS} (${KEYS}, shard, count)
        SELECT v.* FROM claimed
        CROSS JOIN (VALUES ${values.sql}) AS v(${KEYS}, shard, count)
        ${COUNT_UPSERT}
      )`
    : '';
  const result = await db.raw(
    `WITH claimed AS (
       UPDATE ${MESSAGES}
          SET retry_status = 'retrying', lease_expires_at = ?,
              automatic_attempts = ?, manual_attempts = ?,
              last_attempt_at = ?, updated_at = ?
        WHERE id = ? AND retry_status = ? AND category = ? AND error_code = ?
          AND automatic_attempts = ? AND manual_attempts = ?
          AND resolved_at IS NULL
       RETURNING id
     ), attempt AS (
       INSERT INTO ${ATTEMPTS} (message_id, ${attemptColumns
      .map(quoted)
      .join(', ')})
       SELECT id, ${attemptColumns.map(() => '?').join(', ')} FROM claimed
     )${counted}
     SELECT count(*)::int AS claimed FROM claimed`,
    [
      set.leaseUntil,
      set.automaticAttempts,
      set.manualAttempts,
      set.now,
      set.now,
      claim.messageId,
      expected.retryStatus,
      expected.category,
      expected.errorCode,
      expected.automaticAttempts,
      expected.manualAttempts,
      ...attemptColumns.map(column => attempt[column]),
      ...values.bindings,
    ],
  );
  return result.rows[0].claimed === 1;
}

/**
 * Records an attempt's outcome, updates its message and moves the count
 * from where the message was to where it is now, in one statement. The
 * message is locked first, so its old values are those it is changed from.
 */
export async function finishAttemptStatement(
  db: Knex,
  finish: {
    attemptId: string;
    messageId: string;
    attempt: Record<string, Knex.Value>;
    message: Record<string, Knex.Value>;
  },
): Promise<void> {
  const messageColumns = Object.keys(finish.message);
  const attemptColumns = Object.keys(finish.attempt);
  const failedDay = utcDayOf(db, 'failed_at');
  await db.raw(
    `WITH old AS (
       SELECT id, failed_at, category, error_code, retry_status, campaign
         FROM ${MESSAGES} WHERE id = ? FOR UPDATE
     ), changed AS (
       UPDATE ${MESSAGES} m
          SET ${messageColumns.map(c => `${quoted(c)} = ?`).join(', ')}
         FROM old WHERE m.id = old.id
       RETURNING old.failed_at, old.campaign,
                 old.category AS old_category, old.error_code AS old_error_code,
                 old.retry_status AS old_retry_status,
                 m.category, m.error_code, m.retry_status
     ), attempt AS (
       UPDATE ${ATTEMPTS}
          SET ${attemptColumns.map(c => `${quoted(c)} = ?`).join(', ')}
        WHERE id = ? AND EXISTS (SELECT 1 FROM changed)
     ), moves AS (
       SELECT ${failedDay} AS failed_day,
              old_category AS category, old_error_code AS error_code,
              old_retry_status AS retry_status,
              coalesce(campaign, '') AS campaign, -1 AS count
         FROM changed
        WHERE (old_category, old_error_code, old_retry_status)
              IS DISTINCT FROM (category, error_code, retry_status)
       UNION ALL
       SELECT ${failedDay}, category, error_code,
              retry_status, coalesce(campaign, ''), 1
         FROM changed
        WHERE (old_category, old_error_code, old_retry_status)
              IS DISTINCT FROM (category, error_code, retry_status)
     ), counted AS (
       INSERT INTO ${COUNTS} (${KEYS}, shard, count)
       SELECT ${KEYS}, floor(random() * ${SHARDS})::int, count
         FROM moves ORDER BY ${KEY_ORDER}
       ${COUNT_UPSERT}
     )
     SELECT 1`,
    [
      finish.messageId,
      ...messageColumns.map(column => finish.message[column]),
      ...attemptColumns.map(column => finish.attempt[column]),
      finish.attemptId,
    ],
  );
}

/**
 * Records the outcomes of many items of one bulk retry and adds them to its
 * counters, in one statement; items already recorded are not counted again.
 */
export async function recordBulkItemsStatement(
  db: Knex,
  bulkRetryId: string,
  items: BulkItemRecord[],
): Promise<void> {
  const counter = (name: string) =>
    `${name} = ${name} + (SELECT count(*) FROM recorded WHERE outcome IN (${Object.entries(
      BULK_OUTCOME_COUNTER,
    )
      .filter(([, column]) => column === name)
      .map(([outcome]) => `'${outcome}'`)
      .join(', ')}))`;
  await db.raw(
    `WITH recorded AS (
       UPDATE ${BULK_ITEMS} i
          SET outcome = v.outcome, skip_reason = v.skip_reason
         FROM (VALUES ${items
           .map(() => '(?::int, ?::text, ?::text)')
           .join(', ')})
              AS v(position, outcome, skip_reason)
        WHERE i.bulk_retry_id = ? AND i.position = v.position
          AND i.outcome IS NULL
       RETURNING i.outcome
     )
     UPDATE ${BULK}
        SET processed = processed + (SELECT count(*) FROM recorded),
            ${counter('succeeded')}, ${counter('failed')}, ${counter('skipped')}
      WHERE id = ?`,
    [
      ...items.flatMap(item => [item.position, item.outcome, item.skipReason]),
      bulkRetryId,
      bulkRetryId,
    ],
  );
}

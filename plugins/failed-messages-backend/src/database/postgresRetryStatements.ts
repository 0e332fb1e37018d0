import { Knex } from 'knex';
import {
  BULK_OUTCOME_COUNTER,
  BulkItemRecord,
  ClaimToRelease,
} from './FailedMessageStore';
import {
  COUNTS,
  KEY_COLUMNS,
  MONTH_COUNTS,
  MONTH_KEY_COLUMNS,
  SHARDS,
  utcDayOf,
} from './messageCounts';
import { ATTEMPTS, BULK, BULK_ITEMS, MESSAGES } from './tables';

/*
 * The retry hot path on PostgreSQL: the claims (and the finishes) of many
 * retries are one statement (data-modifying CTEs) instead of a transaction
 * each, because at thousands of retries a second the round trips, commits
 * and waits on the same count rows, not the work, are the cost. Each
 * statement is atomic on its own; SQLite runs the same changes in a
 * transaction per retry (KnexFailedMessageStore).
 *
 * Every statement locks the message rows first, in id order, then their
 * attempts, then the count rows in key order, like the transactions.
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
 * The rows as a table with one typed array parameter per column: a few
 * parameters however many rows, which PostgreSQL parses and plans several
 * times faster than a `VALUES` list of thousands of parameters.
 */
function typedRows<T>(
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
function lockInputMessages(name: string, columns: string): string {
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
}

/** A key whose category and error code stay as they are. */
const SAME_KEY = { category: 'category', errorCode: 'error_code' };

/**
 * The count moves of the messages in the CTE `source` (with `failed_at` and
 * `campaign`): -1 where each was counted, +1 where it is counted now.
 */
function countMovesOf(
  db: Knex,
  source: string,
  from: CountKeyColumns,
  to: CountKeyColumns,
): string {
  const failedDay = utcDayOf(db, 'failed_at');
  return `moves AS (
       SELECT ${failedDay} AS failed_day, ${from.category} AS category,
              ${from.errorCode} AS error_code, ${from.retryStatus} AS retry_status,
              coalesce(campaign, '') AS campaign, -1 AS count
         FROM ${source}
       UNION ALL
       SELECT ${failedDay}, ${to.category}, ${to.errorCode}, ${to.retryStatus},
              coalesce(campaign, ''), 1
         FROM ${source}
     ), ${COUNT_MOVES}`;
}

/** One claim of a batch: see FailedMessageStore.claimAttempts. */
export interface ClaimRow {
  messageId: string;
  /** The message as read: the claim wins only if it is unchanged. */
  expected: {
    retryStatus: string;
    category: string;
    errorCode: string;
    automaticAttempts: number;
    manualAttempts: number;
  };
  automaticAttempts: number;
  manualAttempts: number;
  leaseUntil: Date;
  now: Date;
  attempt: {
    id: string;
    attemptNumber: number;
    trigger: string;
    actor: string | null;
    forced: boolean;
    reason: string | null;
    bulkRetryId: string | null;
  };
}

/**
 * Claims each message that is still as read (leaving it as claimedMessage
 * in messageChanges does), inserts the winners' attempts and moves their
 * counts, in one statement for the whole batch. Messages are locked in id
 * order, so concurrent batches cannot deadlock. Returns per claim whether
 * it won; of two claims of one message at most one wins.
 */
export async function claimAttemptsStatement(
  db: Knex,
  claims: ClaimRow[],
): Promise<boolean[]> {
  const input = typedRows(claims, [
    ['message_id', 'text', c => c.messageId],
    ['retry_status', 'text', c => c.expected.retryStatus],
    ['category', 'text', c => c.expected.category],
    ['error_code', 'text', c => c.expected.errorCode],
    ['automatic_attempts', 'int', c => c.expected.automaticAttempts],
    ['manual_attempts', 'int', c => c.expected.manualAttempts],
    ['new_automatic_attempts', 'int', c => c.automaticAttempts],
    ['new_manual_attempts', 'int', c => c.manualAttempts],
    ['lease_until', 'timestamptz', c => c.leaseUntil],
    ['now', 'timestamptz', c => c.now],
    ['attempt_id', 'text', c => c.attempt.id],
    ['attempt_number', 'int', c => c.attempt.attemptNumber],
    ['trigger', 'text', c => c.attempt.trigger],
    ['actor', 'text', c => c.attempt.actor],
    ['forced', 'boolean', c => c.attempt.forced],
    ['reason', 'text', c => c.attempt.reason],
    ['bulk_retry_id', 'text', c => c.attempt.bulkRetryId],
  ]);
  const result = await db.raw(
    `WITH input AS (SELECT * FROM ${input.sql}),
     ${lockInputMessages('locked', 'id')}, claimed AS (
       UPDATE ${MESSAGES} m
          SET retry_status = 'retrying', lease_expires_at = i.lease_until,
              automatic_attempts = i.new_automatic_attempts,
              manual_attempts = i.new_manual_attempts,
              last_attempt_at = i.now, updated_at = i.now
         FROM input i
        WHERE m.id = i.message_id AND m.id IN (SELECT id FROM locked)
          AND m.retry_status = i.retry_status AND m.category = i.category
          AND m.error_code = i.error_code
          AND m.automatic_attempts = i.automatic_attempts
          AND m.manual_attempts = i.manual_attempts
          AND m.resolved_at IS NULL
       RETURNING i.attempt_id, m.failed_at, m.campaign, m.category,
                 m.error_code, i.retry_status AS old_retry_status
     ), attempt AS (
       INSERT INTO ${ATTEMPTS} (id, message_id, attempt_number, "trigger",
              actor, started_at, outcome, for_error_code, forced, reason,
              bulk_retry_id)
       SELECT i.attempt_id, i.message_id, i.attempt_number, i.trigger,
              i.actor, i.now, 'in-progress', i.error_code, i.forced, i.reason,
              i.bulk_retry_id
         FROM input i JOIN claimed c ON c.attempt_id = i.attempt_id
     ), ${countMovesOf(
       db,
       'claimed',
       { ...SAME_KEY, retryStatus: 'old_retry_status' },
       { ...SAME_KEY, retryStatus: "'retrying'" },
     )}
     SELECT attempt_id FROM claimed`,
    input.bindings,
  );
  const won = new Set(
    (result.rows as Array<{ attempt_id: string }>).map(row => row.attempt_id),
  );
  return claims.map(claim => won.has(claim.attempt.id));
}

/**
 * Gives back claims that were never sent, in one statement: removes their
 * attempts, puts their messages back as they were read and moves their
 * counts back. Claims already recorded or lapsed are left alone.
 */
export async function releaseClaimsStatement(
  db: Knex,
  claims: ClaimToRelease[],
): Promise<void> {
  const input = typedRows(claims, [
    ['message_id', 'text', c => c.message.id],
    ['attempt_id', 'text', c => c.attemptId],
    ['retry_status', 'text', c => c.message.retryStatus],
    ['automatic_attempts', 'int', c => c.message.automaticAttempts],
    ['manual_attempts', 'int', c => c.message.manualAttempts],
    ['last_attempt_at', 'timestamptz', c => c.message.lastAttemptAt],
    ['now', 'timestamptz', c => c.now],
  ]);
  await db.raw(
    `WITH input AS (SELECT * FROM ${input.sql}),
     ${lockInputMessages('locked', 'id')}, released AS (
       UPDATE ${MESSAGES} m
          SET retry_status = i.retry_status, lease_expires_at = NULL,
              automatic_attempts = i.automatic_attempts,
              manual_attempts = i.manual_attempts,
              last_attempt_at = i.last_attempt_at, updated_at = i.now
         FROM input i
        WHERE m.id = i.message_id AND m.id IN (SELECT id FROM locked)
          AND m.retry_status = 'retrying'
          AND EXISTS (
            SELECT 1 FROM ${ATTEMPTS} a
             WHERE a.id = i.attempt_id AND a.message_id = m.id
               AND a.outcome = 'in-progress')
       RETURNING i.attempt_id, m.failed_at, m.campaign, m.category,
                 m.error_code, i.retry_status AS old_retry_status
     ), removed AS (
       DELETE FROM ${ATTEMPTS} a USING released r WHERE a.id = r.attempt_id
     ), ${countMovesOf(
       db,
       'released',
       { ...SAME_KEY, retryStatus: "'retrying'" },
       { ...SAME_KEY, retryStatus: 'old_retry_status' },
     )}
     SELECT 1`,
    input.bindings,
  );
}

/** One finish of a batch: see FailedMessageStore.finishAttempt. */
export interface FinishRow {
  messageId: string;
  attemptId: string;
  now: Date;
  outcome: string;
  providerMessageId: string | null;
  /** The attempt's error. */
  error: ProviderErrorColumns | null;
  retryStatus: string;
  nextAutomaticRetryAt: Date | null;
  category: string | null;
  /** The message's new error, when it changes. */
  messageError: ProviderErrorColumns | null;
}

interface ProviderErrorColumns {
  code: string;
  title: string | null;
  message: string | null;
  details: string | null;
}

/**
 * Records attempts' outcomes, updates their messages as finishedMessage
 * (messageChanges) does and moves each count from where its message was to
 * where it is now, in one statement for the whole batch. Messages are
 * locked first, in id order, so their old values are those they are changed
 * from. A batch holds each message once.
 */
export async function finishAttemptsStatement(
  db: Knex,
  finishes: FinishRow[],
): Promise<void> {
  const input = typedRows(finishes, [
    ['message_id', 'text', f => f.messageId],
    ['attempt_id', 'text', f => f.attemptId],
    ['now', 'timestamptz', f => f.now],
    ['outcome', 'text', f => f.outcome],
    ['provider_message_id', 'text', f => f.providerMessageId],
    ['attempt_error_code', 'text', f => f.error?.code ?? null],
    ['attempt_error_title', 'text', f => f.error?.title ?? null],
    ['attempt_error_message', 'text', f => f.error?.message ?? null],
    ['attempt_error_details', 'text', f => f.error?.details ?? null],
    ['retry_status', 'text', f => f.retryStatus],
    ['next_automatic_retry_at', 'timestamptz', f => f.nextAutomaticRetryAt],
    ['category', 'text', f => f.category],
    ['new_error', 'boolean', f => f.messageError !== null],
    ['error_code', 'text', f => f.messageError?.code ?? null],
    ['error_title', 'text', f => f.messageError?.title ?? null],
    ['error_message', 'text', f => f.messageError?.message ?? null],
    ['error_details', 'text', f => f.messageError?.details ?? null],
  ]);
  const newError = (column: string) =>
    `${column} = CASE WHEN i.new_error THEN i.${column} ELSE m.${column} END`;
  await db.raw(
    `WITH input AS (SELECT * FROM ${input.sql}),
     ${lockInputMessages(
       'old',
       'id, failed_at, category, error_code, retry_status, campaign',
     )}, changed AS (
       UPDATE ${MESSAGES} m
          SET retry_status = i.retry_status, lease_expires_at = NULL,
              next_automatic_retry_at = i.next_automatic_retry_at,
              updated_at = i.now,
              category = coalesce(i.category, m.category),
              ${newError('error_code')}, ${newError('error_title')},
              ${newError('error_message')}, ${newError('error_details')},
              resolved_at = CASE WHEN i.new_error THEN NULL ELSE m.resolved_at END
         FROM input i, old o
        WHERE m.id = i.message_id AND o.id = m.id
       RETURNING m.id, o.failed_at, o.campaign,
                 o.category AS old_category, o.error_code AS old_error_code,
                 o.retry_status AS old_retry_status,
                 m.category, m.error_code, m.retry_status
     ), attempt AS (
       UPDATE ${ATTEMPTS} a
          SET outcome = i.outcome, finished_at = i.now,
              provider_message_id = i.provider_message_id,
              error_code = i.attempt_error_code,
              error_title = i.attempt_error_title,
              error_message = i.attempt_error_message,
              error_details = i.attempt_error_details
         FROM input i
        WHERE a.id = i.attempt_id
          AND i.message_id IN (SELECT id FROM changed)
     ), ${countMovesOf(
       db,
       'changed',
       {
         category: 'old_category',
         errorCode: 'old_error_code',
         retryStatus: 'old_retry_status',
       },
       { ...SAME_KEY, retryStatus: 'retry_status' },
     )}
     SELECT 1`,
    input.bindings,
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
  const input = typedRows(items, [
    ['position', 'int', item => item.position],
    ['outcome', 'text', item => item.outcome],
    ['skip_reason', 'text', item => item.skipReason],
  ]);
  await db.raw(
    `WITH recorded AS (
       UPDATE ${BULK_ITEMS} i
          SET outcome = v.outcome, skip_reason = v.skip_reason
         FROM ${input.sql}
        WHERE i.bulk_retry_id = ? AND i.position = v.position
          AND i.outcome IS NULL
       RETURNING i.outcome
     )
     UPDATE ${BULK}
        SET processed = processed + (SELECT count(*) FROM recorded),
            ${counter('succeeded')}, ${counter('failed')}, ${counter('skipped')}
      WHERE id = ?`,
    [...input.bindings, bulkRetryId, bulkRetryId],
  );
}

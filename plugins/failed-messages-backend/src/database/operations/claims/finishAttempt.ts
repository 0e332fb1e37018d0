import { Knex } from 'knex';
import { AttemptFinish } from '../../types';
import { adjustCounts, moveCount } from '../../messageCounts';
import { finishedMessage } from '../../messageChanges';
import {
  countMovesOf,
  lockInputMessages,
  preparedRaw,
  SAME_KEY,
  typedRows,
} from '../../postgresStatements';
import {
  AttemptRow,
  countKeyOf,
  countKeyOfRow,
  MessageRow,
  rowToRecord,
  toDateOrNull,
} from '../../rows';
import { ATTEMPTS, isPostgres, MESSAGES } from '../../tables';
import { WriteBatcher } from '../../WriteBatcher';

/** Records how attempts ended: see RetryClaimStore.finishAttempt. */
export type AttemptFinisher = (finish: AttemptFinish) => Promise<boolean>;

/**
 * Where a message may be while an attempt's claim still owns it: held for
 * the send, or accepted and awaiting its delivery report (a later failure
 * report finishes the attempt again). Together with the attempt being the
 * message's latest (its number is the message's count of attempts), this is
 * read from the message row, which the finish locks: on PostgreSQL a
 * condition on the attempt row could be judged on a snapshot from before a
 * concurrent expiry.
 */
const OWNED_STATUSES = ['retrying', 'retry-succeeded'];

/**
 * The finishes of this database. On PostgreSQL the finishes of concurrent
 * retries share one statement (finishAttemptsStatement, batched by a
 * WriteBatcher); SQLite finishes each in a transaction of its own.
 */
export function createAttemptFinisher(db: Knex): AttemptFinisher {
  if (!isPostgres(db)) {
    return finish => finishInTransaction(db, finish);
  }
  const batch = new WriteBatcher<FinishRow, boolean>(async finishes => {
    const applied = new Set<string>();
    for (const round of distinctRounds(finishes, f => f.messageId)) {
      for (const attemptId of await finishAttemptsStatement(db, round)) {
        applied.add(attemptId);
      }
    }
    return finishes.map(finish => applied.has(finish.attemptId));
  });
  return ({ message, ...finish }) =>
    batch.add({
      messageId: finish.messageId,
      attemptId: finish.attemptId,
      claimToken: finish.claimToken,
      now: finish.now,
      outcome: finish.outcome,
      providerMessageId: finish.providerMessageId,
      error: finish.error,
      retryStatus: message.retryStatus,
      nextAutomaticRetryAt: message.nextAutomaticRetryAt,
      category: message.category ?? null,
      messageError: message.error ?? null,
    });
}

/** SQLite's finish: the attempt, the message and its count in one transaction. */
function finishInTransaction(
  db: Knex,
  finish: AttemptFinish,
): Promise<boolean> {
  return db.transaction(async tx => {
    const current: MessageRow | undefined = await tx(MESSAGES)
      .where('id', finish.messageId)
      .forUpdate()
      .first();
    const attempt: Pick<AttemptRow, 'attempt_number'> | undefined = await tx(
      ATTEMPTS,
    )
      .where({
        id: finish.attemptId,
        message_id: finish.messageId,
        claim_token: finish.claimToken,
      })
      .first('attempt_number');
    if (
      !current ||
      !attempt ||
      !OWNED_STATUSES.includes(current.retry_status) ||
      Number(current.automatic_attempts) + Number(current.manual_attempts) !==
        Number(attempt.attempt_number)
    ) {
      return false;
    }
    const after = finishedMessage(rowToRecord(current), finish.message);
    await tx(ATTEMPTS)
      .where('id', finish.attemptId)
      .update({
        outcome: finish.outcome,
        finished_at: finish.now,
        provider_message_id: finish.providerMessageId,
        error_code: finish.error?.code ?? null,
        error_title: finish.error?.title ?? null,
        error_message: finish.error?.message ?? null,
        error_details: finish.error?.details ?? null,
      });
    await tx(MESSAGES)
      .where('id', finish.messageId)
      .update({
        retry_status: after.retryStatus,
        lease_expires_at: null,
        next_automatic_retry_at: toDateOrNull(after.nextAutomaticRetryAt),
        updated_at: finish.now,
        category: after.category,
        error_code: after.error.code,
        error_title: after.error.title,
        error_message: after.error.message,
        error_details: after.error.details,
        resolved_at: toDateOrNull(after.resolvedAt),
        state: after.state,
      });
    await adjustCounts(
      tx,
      moveCount(countKeyOfRow(current), countKeyOf(after)),
    );
    return true;
  });
}

/**
 * Splits items into rounds in which no key repeats, keeping their order:
 * a statement changes each row once.
 */
function distinctRounds<T>(items: T[], key: (item: T) => string): T[][] {
  const rounds: Array<{ keys: Set<string>; items: T[] }> = [];
  for (const item of items) {
    const k = key(item);
    let round = rounds.find(r => !r.keys.has(k));
    if (!round) {
      round = { keys: new Set(), items: [] };
      rounds.push(round);
    }
    round.keys.add(k);
    round.items.push(item);
  }
  return rounds.map(r => r.items);
}

interface ProviderErrorColumns {
  code: string;
  title: string | null;
  message: string | null;
  details: string | null;
}

/** One finish of a PostgreSQL batch. */
interface FinishRow {
  messageId: string;
  attemptId: string;
  claimToken: string;
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

/**
 * PostgreSQL's finish: records attempts' outcomes, updates their messages
 * as finishedMessage (messageChanges) does and moves each count from where
 * its message was to where it is now, in one statement for the whole batch.
 * Messages are locked first, in id order, so their old values are those
 * they are changed from. A batch holds each message once. Returns the
 * attempts whose token still owned them (OWNED_STATUSES): the others change
 * nothing.
 *
 * Ownership is judged on the locked rows (`old`, the latest version of each
 * message, which nobody changes before the statement commits), not as a
 * filter on the updated table: there PostgreSQL, estimating from statistics
 * taken while few messages were retried, chose to scan every retried or
 * succeeded message through the retry status index for each batch (300 ms
 * a batch at 100,000 succeeded messages, growing with them).
 */
async function finishAttemptsStatement(
  db: Knex,
  finishes: FinishRow[],
): Promise<string[]> {
  const input = typedRows(finishes, [
    ['message_id', 'text', f => f.messageId],
    ['attempt_id', 'text', f => f.attemptId],
    ['claim_token', 'text', f => f.claimToken],
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
  const result = await preparedRaw(
    db,
    'finish',
    `WITH input AS (SELECT * FROM ${input.sql}),
     ${lockInputMessages(
       'old',
       'id, failed_at, category, error_code, retry_status, state, campaign, phone_number_id, automatic_attempts, manual_attempts',
     )}, changed AS (
       UPDATE ${MESSAGES} m
          SET retry_status = i.retry_status, lease_expires_at = NULL,
              next_automatic_retry_at = i.next_automatic_retry_at,
              updated_at = i.now,
              category = coalesce(i.category, m.category),
              ${newError('error_code')}, ${newError('error_title')},
              ${newError('error_message')}, ${newError('error_details')},
              resolved_at = CASE WHEN i.new_error THEN NULL ELSE m.resolved_at END,
              state = CASE WHEN i.new_error AND m.state = 'resolved'
                           THEN 'open' ELSE m.state END
         FROM input i, old o
        WHERE m.id = i.message_id AND o.id = m.id
          AND o.retry_status IN (${OWNED_STATUSES.map(s => `'${s}'`).join(
            ', ',
          )})
          AND EXISTS (
            SELECT 1 FROM ${ATTEMPTS} a
             WHERE a.id = i.attempt_id AND a.message_id = o.id
               AND a.claim_token = i.claim_token
               AND a.attempt_number = o.automatic_attempts + o.manual_attempts)
       RETURNING m.id, i.attempt_id, o.failed_at, o.campaign, o.phone_number_id,
                 o.category AS old_category, o.error_code AS old_error_code,
                 o.retry_status AS old_retry_status, o.state AS old_state,
                 m.category, m.error_code, m.retry_status, m.state
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
         state: 'old_state',
       },
       { ...SAME_KEY, retryStatus: 'retry_status' },
     )}
     SELECT attempt_id FROM changed`,
    input.bindings,
  );
  return (result.rows as Array<{ attempt_id: string }>).map(
    row => row.attempt_id,
  );
}

import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { AttemptClaim, ClaimedAttempt } from '../../types';
import { adjustCounts, moveCount } from '../../messageCounts';
import { claimedMessage } from '../../messageChanges';
import {
  countMovesOf,
  lockInputMessages,
  preparedRaw,
  SAME_KEY,
  typedRows,
} from '../../postgresStatements';
import { AttemptRow, countKeyOf, rowToAttempt } from '../../rows';
import { ATTEMPTS, isPostgres, MESSAGES } from '../../tables';
import { WriteBatcher } from '../../WriteBatcher';

/** Claims messages for attempts: see RetryClaimStore.claimAttempts. */
export type AttemptClaimer = (
  claims: AttemptClaim[],
) => Promise<Array<ClaimedAttempt | undefined>>;

/** A claim with the attempt it creates, its token and the counts it sets. */
interface PreparedClaim {
  claim: AttemptClaim;
  row: AttemptRow;
  claimToken: string;
  set: {
    automaticAttempts: number;
    manualAttempts: number;
    leaseUntil: Date;
    now: Date;
  };
}

function prepare(claim: AttemptClaim): PreparedClaim {
  const { message } = claim;
  const claimed = claimedMessage(message, claim.trigger, claim.now);
  return {
    claim,
    row: {
      id: randomUUID(),
      message_id: message.id,
      attempt_number: message.automaticAttempts + message.manualAttempts + 1,
      trigger: claim.trigger,
      actor: claim.actor,
      started_at: claim.now,
      finished_at: null,
      outcome: 'in-progress',
      error_code: null,
      error_title: null,
      error_message: null,
      error_details: null,
      provider_message_id: null,
      forced: claim.forced,
      reason: claim.reason,
    },
    claimToken: randomUUID(),
    set: {
      automaticAttempts: claimed.automaticAttempts,
      manualAttempts: claimed.manualAttempts,
      leaseUntil: claim.leaseUntil,
      now: claim.now,
    },
  };
}

/**
 * The claims of this database. On PostgreSQL the claims of concurrent
 * retries share one statement (claimAttemptsStatement, batched by a
 * WriteBatcher); SQLite claims each in a transaction of its own.
 */
export function createAttemptClaimer(db: Knex): AttemptClaimer {
  if (!isPostgres(db)) {
    return async claims => {
      const attempts: Array<ClaimedAttempt | undefined> = [];
      for (const prepared of claims.map(prepare)) {
        attempts.push(await claimInTransaction(db, prepared));
      }
      return attempts;
    };
  }
  const batch = new WriteBatcher<ClaimRow, boolean>(rows =>
    claimAttemptsStatement(db, rows),
  );
  return async claims => {
    const prepared = claims.map(prepare);
    const won = await batch.addAll(
      prepared.map(
        ({ claim: { message, ...claim }, row, claimToken, set }) => ({
          messageId: message.id,
          expected: {
            retryStatus: message.retryStatus,
            state: message.state,
            category: message.category,
            errorCode: message.error.code,
            automaticAttempts: message.automaticAttempts,
            manualAttempts: message.manualAttempts,
          },
          ...set,
          attempt: {
            id: row.id,
            attemptNumber: Number(row.attempt_number),
            trigger: claim.trigger,
            actor: claim.actor,
            forced: claim.forced,
            reason: claim.reason,
            bulkRetryId: claim.bulkRetryId,
            claimToken,
          },
        }),
      ),
    );
    return prepared.map((claim, index) =>
      won[index] ? claimedAttempt(claim) : undefined,
    );
  };
}

function claimedAttempt({ row, claimToken }: PreparedClaim): ClaimedAttempt {
  return { ...rowToAttempt(row), claimToken };
}

/**
 * The states a claim takes a message from: open; for a forced retry also
 * resolved because a newer message was delivered, which the retry reopens.
 * Never a dismissed message, even one read before its dismissal, nor one
 * delivered itself.
 */
function claimableState(forced: boolean) {
  return (query: Knex.QueryBuilder) => {
    query.where('state', 'open');
    if (forced) {
      query.orWhere(q =>
        q.where('state', 'resolved').where('resolution', 'newer-delivery'),
      );
    }
  };
}

/** SQLite's claim: the conditional update, the count and the attempt. */
function claimInTransaction(
  db: Knex,
  prepared: PreparedClaim,
): Promise<ClaimedAttempt | undefined> {
  const { claim, row, set } = prepared;
  const { message } = claim;
  return db.transaction(async tx => {
    const claimed = await tx(MESSAGES)
      .where({
        id: message.id,
        retry_status: message.retryStatus,
        category: message.category,
        error_code: message.error.code,
        automatic_attempts: message.automaticAttempts,
        manual_attempts: message.manualAttempts,
        state: message.state,
      })
      .where(claimableState(claim.forced))
      .whereNull('resolved_at')
      .update({
        retry_status: 'retrying',
        state: 'open',
        lease_expires_at: set.leaseUntil,
        automatic_attempts: set.automaticAttempts,
        manual_attempts: set.manualAttempts,
        last_attempt_at: set.now,
        updated_at: set.now,
      });
    if (claimed !== 1) {
      return undefined;
    }
    const before = countKeyOf(message);
    await adjustCounts(
      tx,
      moveCount(before, { ...before, retryStatus: 'retrying', state: 'open' }),
    );
    await tx(ATTEMPTS).insert({
      ...row,
      for_error_code: message.error.code,
      bulk_retry_id: claim.bulkRetryId,
      claim_token: prepared.claimToken,
    });
    return claimedAttempt(prepared);
  });
}

/** One claim of a PostgreSQL batch. */
interface ClaimRow {
  messageId: string;
  /** The message as read: the claim wins only if it is unchanged. */
  expected: {
    retryStatus: string;
    state: string;
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
    claimToken: string;
  };
}

/**
 * PostgreSQL's claim: claims each message that is still as read and in a
 * state claimableState allows (leaving it as claimedMessage in
 * messageChanges does), inserts the winners' attempts
 * and moves their counts, in one statement for the whole batch. Messages
 * are locked in id order, so concurrent batches cannot deadlock. Returns
 * per claim whether it won; of two claims of one message at most one wins.
 */
async function claimAttemptsStatement(
  db: Knex,
  claims: ClaimRow[],
): Promise<boolean[]> {
  const input = typedRows(claims, [
    ['message_id', 'text', c => c.messageId],
    ['retry_status', 'text', c => c.expected.retryStatus],
    ['state', 'text', c => c.expected.state],
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
    ['claim_token', 'text', c => c.attempt.claimToken],
  ]);
  const result = await preparedRaw(
    db,
    'claim',
    `WITH input AS (SELECT * FROM ${input.sql}),
     ${lockInputMessages('locked', 'id')}, claimed AS (
       UPDATE ${MESSAGES} m
          SET retry_status = 'retrying', state = 'open',
              lease_expires_at = i.lease_until,
              automatic_attempts = i.new_automatic_attempts,
              manual_attempts = i.new_manual_attempts,
              last_attempt_at = i.now, updated_at = i.now
         FROM input i
        WHERE m.id = i.message_id AND m.id IN (SELECT id FROM locked)
          AND m.retry_status = i.retry_status AND m.category = i.category
          AND m.error_code = i.error_code
          AND m.automatic_attempts = i.automatic_attempts
          AND m.manual_attempts = i.manual_attempts
          AND m.resolved_at IS NULL AND m.state = i.state
          AND (m.state = 'open' OR (i.forced AND m.state = 'resolved'
                                    AND m.resolution = 'newer-delivery'))
       RETURNING i.attempt_id, m.failed_at, m.campaign, m.phone_number_id, m.category,
                 m.error_code, m.state, i.retry_status AS old_retry_status,
                 i.state AS old_state
     ), attempt AS (
       INSERT INTO ${ATTEMPTS} (id, message_id, attempt_number, "trigger",
              actor, started_at, outcome, for_error_code, forced, reason,
              bulk_retry_id, claim_token)
       SELECT i.attempt_id, i.message_id, i.attempt_number, i.trigger,
              i.actor, i.now, 'in-progress', i.error_code, i.forced, i.reason,
              i.bulk_retry_id, i.claim_token
         FROM input i JOIN claimed c ON c.attempt_id = i.attempt_id
     ), ${countMovesOf(
       db,
       'claimed',
       { ...SAME_KEY, retryStatus: 'old_retry_status', state: 'old_state' },
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

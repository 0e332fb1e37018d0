import { Knex } from 'knex';
import { ClaimToRelease } from '../../types';
import { adjustCounts, moveCount } from '../../messageCounts';
import {
  countMovesOf,
  lockInputMessages,
  SAME_KEY,
  typedRows,
} from '../../postgresStatements';
import {
  COUNT_KEY_COLUMNS,
  countKeyOfRow,
  MessageRow,
  toDateOrNull,
} from '../../rows';
import {
  ATTEMPTS,
  isPostgres,
  MAX_ROWS_PER_STATEMENT,
  MESSAGES,
} from '../../tables';

/** See RetryClaimStore.releaseClaims. */
export async function releaseClaims(
  db: Knex,
  claims: ClaimToRelease[],
): Promise<void> {
  if (!claims.length) {
    return;
  }
  if (isPostgres(db)) {
    // In chunks: the statement matches its input against the locked rows,
    // which the planner may do pair by pair; 53,247 claims given back at
    // once, when a bulk retry over a million messages was cancelled, kept
    // one statement busy for minutes.
    for (
      let start = 0;
      start < claims.length;
      start += MAX_ROWS_PER_STATEMENT
    ) {
      await releaseClaimsStatement(
        db,
        claims.slice(start, start + MAX_ROWS_PER_STATEMENT),
      );
    }
    return;
  }
  await db.transaction(async tx => {
    for (const { attemptId, claimToken, message, now } of claims) {
      const unsent = await tx(ATTEMPTS)
        .where({
          id: attemptId,
          message_id: message.id,
          claim_token: claimToken,
          outcome: 'in-progress',
        })
        .first('id');
      const current: MessageRow | undefined = await tx(MESSAGES)
        .select(COUNT_KEY_COLUMNS)
        .where({ id: message.id, retry_status: 'retrying' })
        .first();
      if (!unsent || !current) {
        continue;
      }
      await tx(MESSAGES)
        .where('id', message.id)
        .update({
          retry_status: message.retryStatus,
          lease_expires_at: null,
          automatic_attempts: message.automaticAttempts,
          manual_attempts: message.manualAttempts,
          last_attempt_at: toDateOrNull(message.lastAttemptAt),
          updated_at: now,
        });
      await tx(ATTEMPTS).where('id', attemptId).delete();
      const before = countKeyOfRow(current);
      await adjustCounts(
        tx,
        moveCount(before, { ...before, retryStatus: message.retryStatus }),
      );
    }
  });
}

/**
 * PostgreSQL's release, in one statement: removes the attempts, puts their
 * messages back as they were read and moves their counts back. Claims
 * already recorded or lapsed, or not of the token, are left alone; whether
 * the claim is open and its attempt the message's latest is read from the
 * locked message row, not filtered on the updated table (see
 * finishAttemptsStatement).
 */
async function releaseClaimsStatement(
  db: Knex,
  claims: ClaimToRelease[],
): Promise<void> {
  const input = typedRows(claims, [
    ['message_id', 'text', c => c.message.id],
    ['attempt_id', 'text', c => c.attemptId],
    ['claim_token', 'text', c => c.claimToken],
    ['retry_status', 'text', c => c.message.retryStatus],
    ['automatic_attempts', 'int', c => c.message.automaticAttempts],
    ['manual_attempts', 'int', c => c.message.manualAttempts],
    ['last_attempt_at', 'timestamptz', c => c.message.lastAttemptAt],
    ['now', 'timestamptz', c => c.now],
  ]);
  await db.raw(
    `WITH input AS (SELECT * FROM ${input.sql}),
     ${lockInputMessages(
       'locked',
       'id, retry_status, automatic_attempts, manual_attempts',
     )}, released AS (
       UPDATE ${MESSAGES} m
          SET retry_status = i.retry_status, lease_expires_at = NULL,
              automatic_attempts = i.automatic_attempts,
              manual_attempts = i.manual_attempts,
              last_attempt_at = i.last_attempt_at, updated_at = i.now
         FROM input i, locked o
        WHERE m.id = i.message_id AND o.id = m.id
          AND o.retry_status = 'retrying'
          AND EXISTS (
            SELECT 1 FROM ${ATTEMPTS} a
             WHERE a.id = i.attempt_id AND a.message_id = o.id
               AND a.claim_token = i.claim_token
               AND a.attempt_number = o.automatic_attempts + o.manual_attempts
               AND a.outcome = 'in-progress')
       RETURNING i.attempt_id, m.failed_at, m.campaign, m.phone_number_id, m.category,
                 m.error_code, m.state, i.retry_status AS old_retry_status
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

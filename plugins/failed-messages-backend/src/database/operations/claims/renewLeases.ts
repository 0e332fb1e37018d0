import { Knex } from 'knex';
import { HeldClaim } from '../../types';
import { lockInputMessages, typedRows } from '../../postgresStatements';
import {
  ATTEMPTS,
  isPostgres,
  MAX_ROWS_PER_STATEMENT,
  MESSAGES,
} from '../../tables';

/**
 * See RetryClaimStore.renewLeases. One statement per 500 claims, and a
 * process holds far fewer (its sends in flight and the chunks claimed ahead
 * of them): the renewal costs the hot path nothing per send. A claim that
 * lapsed meanwhile is outcome-unknown and not held any more, so it stays so.
 */
export async function renewLeases(
  db: Knex,
  claims: HeldClaim[],
  leaseUntil: Date,
): Promise<number> {
  let renewed = 0;
  for (let start = 0; start < claims.length; start += MAX_ROWS_PER_STATEMENT) {
    const chunk = claims.slice(start, start + MAX_ROWS_PER_STATEMENT);
    renewed += isPostgres(db)
      ? await renewStatement(db, chunk, leaseUntil)
      : await db(MESSAGES)
          .whereIn(
            'id',
            db(ATTEMPTS)
              .select('message_id')
              .whereIn(
                ['message_id', 'claim_token'],
                chunk.map(claim => [claim.messageId, claim.claimToken]),
              )
              .where('outcome', 'in-progress'),
          )
          .where('retry_status', 'retrying')
          .where('lease_expires_at', '<', leaseUntil)
          .update({ lease_expires_at: leaseUntil });
  }
  return renewed;
}

/**
 * PostgreSQL locks the messages in id order first, as the claim, finish and
 * release statements do: an update that locked them in scan order could
 * deadlock with those, and the loser would be a finish, whose send then
 * lapses into outcome-unknown. Whether a claim is still open is read from
 * the locked rows, as the finish does (see finishAttemptsStatement), not
 * filtered on the updated table, where the planner may scan every retrying
 * message.
 */
async function renewStatement(
  db: Knex,
  claims: HeldClaim[],
  leaseUntil: Date,
): Promise<number> {
  const input = typedRows(claims, [
    ['message_id', 'text', c => c.messageId],
    ['claim_token', 'text', c => c.claimToken],
  ]);
  const result = await db.raw(
    `WITH input AS (SELECT * FROM ${input.sql}),
     ${lockInputMessages('locked', 'id, retry_status, lease_expires_at')}
     UPDATE ${MESSAGES} m SET lease_expires_at = ?
       FROM input i, locked o
      WHERE m.id = i.message_id AND o.id = m.id
        AND o.retry_status = 'retrying' AND o.lease_expires_at < ?
        AND EXISTS (
          SELECT 1 FROM ${ATTEMPTS} a
           WHERE a.message_id = m.id AND a.claim_token = i.claim_token
             AND a.outcome = 'in-progress')`,
    [...input.bindings, leaseUntil, leaseUntil],
  );
  return result.rowCount ?? 0;
}

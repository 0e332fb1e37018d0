import { Knex } from 'knex';
import { HeldClaim } from '../../types';
import { ATTEMPTS, MAX_ROWS_PER_STATEMENT, MESSAGES } from '../../tables';

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
    renewed += await db(MESSAGES)
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

import { Knex } from 'knex';
import { adjustCounts, moveCount } from '../../messageCounts';
import { COUNT_KEY_COLUMNS, countKeyOfRow, MessageRow } from '../../rows';
import { ATTEMPTS, MAX_ROWS_PER_STATEMENT, MESSAGES } from '../../tables';

/** See RetryClaimStore.expireLeases. */
export async function expireLeases(db: Knex, now: Date): Promise<number> {
  let expired = 0;
  for (;;) {
    const count = await db.transaction(async tx => {
      // Locked in id order like every claim and finish: a claimant that
      // records its outcome meanwhile either goes first or waits.
      const lapsed: MessageRow[] = await tx(MESSAGES)
        .select(['id', ...COUNT_KEY_COLUMNS])
        .where('retry_status', 'retrying')
        .where('lease_expires_at', '<', now)
        .orderBy('id')
        .limit(MAX_ROWS_PER_STATEMENT)
        .forUpdate();
      if (!lapsed.length) {
        return 0;
      }
      const ids = lapsed.map(row => row.id);
      await tx(MESSAGES).whereIn('id', ids).update({
        retry_status: 'outcome-unknown',
        lease_expires_at: null,
        next_automatic_retry_at: null,
        updated_at: now,
      });
      await adjustCounts(
        tx,
        lapsed.flatMap(row => {
          const before = countKeyOfRow(row);
          return moveCount(before, {
            ...before,
            retryStatus: 'outcome-unknown',
          });
        }),
      );
      // After the message counts, as in a finish: the attempt counts' trigger
      // locks its rows last (migrations/20261203120000_attempt_counts.js).
      await tx(ATTEMPTS)
        .whereIn('message_id', ids)
        .where('outcome', 'in-progress')
        .update({ outcome: 'outcome-unknown', finished_at: now });
      return lapsed.length;
    });
    expired += count;
    if (count < MAX_ROWS_PER_STATEMENT) {
      return expired;
    }
  }
}

import { Knex } from 'knex';
import { adjustCounts } from '../../messageCounts';
import { COUNT_KEY_COLUMNS, countKeyOfRow, MessageRow } from '../../rows';
import {
  ATTEMPTS,
  MAX_ROWS_PER_STATEMENT,
  MESSAGES,
  STATE_CHANGES,
} from '../../tables';

/** Rolls a retention chunk back when a retry claimed one of its messages. */
class RetentionRaceError extends Error {}

/** See RetentionStore.deleteMessagesFailedBefore. */
export async function deleteMessagesFailedBefore(
  db: Knex,
  cutoff: Date,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const removed = await db
      .transaction(async tx => {
        const rows: MessageRow[] = await tx(MESSAGES)
          .select(['id', ...COUNT_KEY_COLUMNS])
          .where('failed_at', '<', cutoff)
          .whereNot('retry_status', 'retrying')
          .limit(MAX_ROWS_PER_STATEMENT);
        if (!rows.length) {
          return 0;
        }
        const ids = rows.map(row => row.id);
        // The message counts first, as in a finish: the attempt counts'
        // trigger locks its rows last. A race rolls both back.
        await adjustCounts(
          tx,
          rows.map(row => ({ key: countKeyOfRow(row), delta: -1 })),
        );
        // Before their messages, whose campaign the attempt counts read.
        await tx(ATTEMPTS).whereIn('message_id', ids).delete();
        await tx(STATE_CHANGES).whereIn('message_id', ids).delete();
        const gone = await tx(MESSAGES)
          .whereIn('id', ids)
          .whereNot('retry_status', 'retrying')
          .delete();
        if (gone !== rows.length) {
          // A retry claimed one meanwhile: try the chunk again next round.
          throw new RetentionRaceError();
        }
        return gone;
      })
      .catch(error => {
        if (error instanceof RetentionRaceError) {
          return -1;
        }
        throw error;
      });
    if (removed === 0) {
      return deleted;
    }
    deleted += Math.max(removed, 0);
  }
}

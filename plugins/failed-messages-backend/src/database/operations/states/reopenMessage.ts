import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { adjustCounts, moveCount } from '../../messageCounts';
import { COUNT_KEY_COLUMNS, countKeyOfRow, MessageRow } from '../../rows';
import { MESSAGES, STATE_CHANGES } from '../../tables';
import { ReopeningRequest, ReopeningResult } from '../../types';

/**
 * See MessageStateStore.reopenMessage. Only the state and the dismissal
 * change: attempts, counters and the next automatic time stay as they were.
 */
export async function reopenMessage(
  db: Knex,
  request: ReopeningRequest,
): Promise<ReopeningResult> {
  return db.transaction(async tx => {
    const message: MessageRow | undefined = await tx(MESSAGES)
      .select(COUNT_KEY_COLUMNS)
      .where('id', request.messageId)
      .forUpdate()
      .first();
    if (!message) {
      return 'not-found';
    }
    if (message.state !== 'dismissed') {
      return 'not-dismissed';
    }
    await tx(MESSAGES).where('id', request.messageId).update({
      state: 'open',
      dismissed_at: null,
      dismissed_by: null,
      dismiss_reason: null,
      updated_at: request.now,
    });
    await tx(STATE_CHANGES).insert({
      id: randomUUID(),
      message_id: request.messageId,
      change: 'reopened',
      actor: request.actor,
      at: request.now,
      reason: null,
    });
    const before = countKeyOfRow(message);
    await adjustCounts(tx, moveCount(before, { ...before, state: 'open' }));
    return 'reopened';
  });
}

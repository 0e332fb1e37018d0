import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { adjustCounts, moveCount } from '../../messageCounts';
import { COUNT_KEY_COLUMNS, countKeyOfRow, MessageRow } from '../../rows';
import { MESSAGES, STATE_CHANGES } from '../../tables';
import { DismissalRequest, DismissalResult } from '../../types';

/**
 * See MessageStateStore.dismissMessage. The message row is locked first, as
 * a claim locks it, so a dismissal and a claim of one message follow each
 * other: a claim after the dismissal finds the message no longer open, a
 * dismissal after a claim finds it retrying and is refused.
 */
export async function dismissMessage(
  db: Knex,
  request: DismissalRequest,
): Promise<DismissalResult> {
  return db.transaction(async tx => {
    const message: MessageRow | undefined = await tx(MESSAGES)
      .select(COUNT_KEY_COLUMNS)
      .where('id', request.messageId)
      .forUpdate()
      .first();
    if (!message) {
      return 'not-found';
    }
    if (message.state !== 'open') {
      return message.state === 'dismissed' ? 'already-dismissed' : 'resolved';
    }
    if (message.retry_status === 'retrying') {
      return 'retrying';
    }
    await tx(MESSAGES).where('id', request.messageId).update({
      state: 'dismissed',
      dismissed_at: request.now,
      dismissed_by: request.actor,
      dismiss_reason: request.reason,
      updated_at: request.now,
    });
    await tx(STATE_CHANGES).insert({
      id: randomUUID(),
      message_id: request.messageId,
      change: 'dismissed',
      actor: request.actor,
      at: request.now,
      reason: request.reason,
    });
    const before = countKeyOfRow(message);
    await adjustCounts(
      tx,
      moveCount(before, { ...before, state: 'dismissed' }),
    );
    return 'dismissed';
  });
}

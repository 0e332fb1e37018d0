import { Knex } from 'knex';
import { adjustCounts, moveCount } from '../../messageCounts';
import { COUNT_KEY_COLUMNS, countKeyOfRow, MessageRow } from '../../rows';
import { MESSAGES } from '../../tables';
import { resolveOlderMessages } from '../states/newerDelivery';

/** See FailedMessageIngestionStore.resolveMessage. */
export async function resolveMessage(
  db: Knex,
  messageId: string,
  at: Date,
): Promise<boolean> {
  return db.transaction(async tx => {
    const current: MessageRow | undefined = await tx(MESSAGES)
      .select(['id', 'recipient', 'template_name', ...COUNT_KEY_COLUMNS])
      .where('id', messageId)
      .whereNull('resolved_at')
      .forUpdate()
      .first();
    if (current) {
      await tx(MESSAGES).where('id', messageId).update({
        resolved_at: at,
        retry_status: 'retry-succeeded',
        // Delivered is a fact: a resend accepted before a dismissal that
        // reaches the customer resolves the message all the same.
        state: 'resolved',
        resolution: 'delivered',
        resolution_at: at,
        newer_message_id: null,
        next_automatic_retry_at: null,
        updated_at: new Date(),
      });
      const before = countKeyOfRow(current);
      await adjustCounts(
        tx,
        moveCount(before, {
          ...before,
          retryStatus: 'retry-succeeded',
          state: 'resolved',
        }),
      );
      await resolveOlderMessages(
        tx,
        {
          id: current.id,
          recipient: current.recipient,
          templateName: current.template_name,
          failedAt: current.failed_at,
        },
        at,
      );
    }
    return current !== undefined;
  });
}

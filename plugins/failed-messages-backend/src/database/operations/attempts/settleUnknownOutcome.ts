import { Knex } from 'knex';
import { adjustCounts, moveCount } from '../../messageCounts';
import {
  AttemptRow,
  COUNT_KEY_COLUMNS,
  countKeyOfRow,
  MessageRow,
} from '../../rows';
import { ATTEMPTS, MESSAGES } from '../../tables';
import { resolveOlderMessages } from '../states/newerDelivery';
import { ManualSettlement, ManualSettlementResult } from '../../types';

/** See SettlementStore.settleUnknownOutcome. */
export async function settleUnknownOutcome(
  db: Knex,
  settlement: ManualSettlement,
): Promise<ManualSettlementResult> {
  return db.transaction(async tx => {
    const message: MessageRow | undefined = await tx(MESSAGES)
      .select(['id', 'recipient', 'template_name', ...COUNT_KEY_COLUMNS])
      .where('id', settlement.messageId)
      .forUpdate()
      .first();
    if (!message) {
      return 'not-found';
    }
    if (message.retry_status !== 'outcome-unknown') {
      return 'not-unknown';
    }
    const attempt: Pick<AttemptRow, 'id'> | undefined = await tx(ATTEMPTS)
      .where({ message_id: settlement.messageId, outcome: 'outcome-unknown' })
      .orderBy('attempt_number', 'desc')
      .first('id');
    const delivered = settlement.outcome === 'delivered';
    const retryStatus = delivered ? 'retry-succeeded' : 'retry-failed';
    // Failed: a person may retry it; the automatic run stays off it, since
    // nobody knows when it failed.
    await tx(MESSAGES)
      .where('id', settlement.messageId)
      .update({
        retry_status: retryStatus,
        resolved_at: delivered ? settlement.now : null,
        state: delivered ? 'resolved' : message.state,
        ...(delivered && {
          resolution: 'delivered',
          resolution_at: settlement.now,
          newer_message_id: null,
        }),
        next_automatic_retry_at: null,
        updated_at: settlement.now,
      });
    const before = countKeyOfRow(message);
    await adjustCounts(
      tx,
      moveCount(before, {
        ...before,
        retryStatus,
        state: delivered ? 'resolved' : message.state,
      }),
    );
    // After the message counts, as in a finish: the attempt counts' trigger
    // locks its rows last (migrations/20261203120000_attempt_counts.js).
    if (attempt) {
      await tx(ATTEMPTS)
        .where('id', attempt.id)
        .update({
          outcome: delivered ? 'succeeded' : 'failed',
          settled_as: settlement.outcome,
          settled_by: settlement.actor,
          settled_at: settlement.now,
          settle_reason: settlement.reason,
        });
    }
    if (delivered) {
      await resolveOlderMessages(
        tx,
        {
          id: message.id,
          recipient: message.recipient,
          templateName: message.template_name,
          failedAt: message.failed_at,
        },
        settlement.now,
      );
    }
    return 'settled';
  });
}

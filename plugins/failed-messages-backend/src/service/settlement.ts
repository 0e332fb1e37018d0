import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { operations } from '@msgops/plugin-failed-messages-common';
import {
  ManualSettlement,
  SettlementStore,
} from '../database/FailedMessageStore';

/** The body of `POST /messages/{id}/settle`, as the validator checked it. */
type SettleBody =
  operations['SettleMessage']['requestBody']['content']['application/json'];

/**
 * A settlement request with what the document cannot say: a reason of only
 * spaces says nothing.
 */
export function readSettlement(
  messageId: string,
  body: SettleBody,
  actor: string,
  now: Date,
): ManualSettlement {
  const reason = body.reason.trim();
  if (!reason) {
    throw new InputError('Invalid settlement: reason must not be blank');
  }
  return { messageId, outcome: body.outcome, reason, actor, now };
}

/** Settles the message by hand: 404 when unknown, 409 unless its outcome is. */
export async function settleMessage(
  store: SettlementStore,
  settlement: ManualSettlement,
): Promise<void> {
  const result = await store.settleUnknownOutcome(settlement);
  if (result === 'not-found') {
    throw new NotFoundError(
      `No failed message with id ${settlement.messageId}`,
    );
  }
  if (result === 'not-unknown') {
    throw new ConflictError(
      'Only a message whose outcome is unknown can be settled by hand.',
    );
  }
}

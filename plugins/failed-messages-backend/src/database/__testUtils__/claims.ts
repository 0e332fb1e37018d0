import { KnexFailedMessageStore } from '../KnexFailedMessageStore';
import { AttemptTrigger } from '@msgops/plugin-failed-messages-common';
import { ClaimedAttempt } from '../types';

/**
 * Claims each message for a retry at `now`, by a person unless the trigger
 * is automatic, with a one-minute lease: as the retry engine would.
 */
export async function claimMessages(
  store: KnexFailedMessageStore,
  ids: string[],
  now: Date,
  trigger: AttemptTrigger = 'manual',
): Promise<Array<ClaimedAttempt | undefined>> {
  return store.claimAttempts(
    await Promise.all(
      ids.map(async id => ({
        message: (await store.getMessage(id))!,
        trigger,
        actor: trigger === 'automatic' ? null : 'user:default/alex-agent',
        forced: false,
        reason: null,
        bulkRetryId: null,
        now,
        leaseUntil: new Date(now.getTime() + 60_000),
      })),
    ),
  );
}

/** Records a claimed attempt of the message as accepted by Meta with `wamid`. */
export function finishAccepted(
  store: KnexFailedMessageStore,
  messageId: string,
  attempt: ClaimedAttempt,
  now: Date,
  wamid: string,
) {
  return store.finishAttempt({
    attemptId: attempt.id,
    claimToken: attempt.claimToken,
    messageId,
    now,
    outcome: 'succeeded',
    error: null,
    providerMessageId: wamid,
    message: { retryStatus: 'retry-succeeded', nextAutomaticRetryAt: null },
  });
}

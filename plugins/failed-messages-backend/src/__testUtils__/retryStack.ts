import { mockServices } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import { ErrorCodeCatalogue } from '@msgops/plugin-failed-messages-common';
import { KnexFailedMessageStore } from '../database/KnexFailedMessageStore';
import { RetryEngine } from '../retry/RetryEngine';
import { WhatsAppCloudSender } from '../senders';
import { WhatsAppAccountSettings } from '../numbers/readWhatsAppAccounts';
import { AccountPauses } from '../retry/AccountPauses';
import { testNumbers } from './numbers';

/** A retry engine that sends to a local stand-in for Meta. */
export function engineSendingTo(
  baseUrl: string,
  store: KnexFailedMessageStore,
  options: {
    catalogue?: ErrorCodeCatalogue;
    clock?: () => DateTime;
    leaseSeconds?: number;
    timeoutMs?: number;
    /** Sends a second from the test number (default 1000). */
    ratePerSecond?: number;
    accounts?: WhatsAppAccountSettings[];
    pauses?: AccountPauses;
  } = {},
) {
  const numbers = testNumbers(options.ratePerSecond, options.accounts);
  return new RetryEngine({
    store,
    catalogue: options.catalogue ?? new ErrorCodeCatalogue(),
    logger: mockServices.logger.mock(),
    clock: options.clock,
    leaseSeconds: options.leaseSeconds,
    maxAutomaticAttempts: 3,
    numbers,
    pauses: options.pauses,
    sender: new WhatsAppCloudSender(
      {
        baseUrl,
        apiVersion: 'v23.0',
        timeoutMs: options.timeoutMs ?? 30_000,
      },
      numbers.accounts,
    ),
  });
}

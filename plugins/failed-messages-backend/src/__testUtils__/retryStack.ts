import { mockServices } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import { ErrorCodeCatalogue } from '@internal/plugin-failed-messages-common';
import { KnexFailedMessageStore } from '../database/KnexFailedMessageStore';
import { RetryEngine } from '../retry/RetryEngine';
import { WhatsAppCloudSender } from '../senders';

/** A retry engine that sends to a local stand-in for Meta. */
export function engineSendingTo(
  baseUrl: string,
  store: KnexFailedMessageStore,
  options: {
    catalogue?: ErrorCodeCatalogue;
    clock?: () => DateTime;
    leaseSeconds?: number;
    timeoutMs?: number;
  } = {},
) {
  return new RetryEngine({
    store,
    catalogue: options.catalogue ?? new ErrorCodeCatalogue(),
    logger: mockServices.logger.mock(),
    clock: options.clock,
    leaseSeconds: options.leaseSeconds,
    maxAutomaticAttempts: 3,
    sender: new WhatsAppCloudSender({
      baseUrl,
      apiVersion: 'v23.0',
      phoneNumberId: '1234567890',
      accessToken: 'token',
      timeoutMs: options.timeoutMs ?? 30_000,
    }),
  });
}

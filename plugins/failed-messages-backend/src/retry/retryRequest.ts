import { LoggerService } from '@backstage/backend-plugin-api';
import { DateTime } from 'luxon';
import {
  AttemptTrigger,
  ErrorCodeCatalogue,
  RetryAttempt,
} from '@msgops/plugin-failed-messages-common';
import { MessageSender } from '@msgops/plugin-failed-messages-node';
import {
  FailedMessageReads,
  FailedMessageRecord,
  RetryCandidateReads,
  RetryClaimStore,
} from '../database/FailedMessageStore';
import { FailedMessagesSignals } from '../signals/FailedMessagesSignals';
import { ManualRetryQuota } from './ManualRetryQuota';
import { RetryRateLimiter } from './RetryRateLimiter';
import { AccountPauses } from './AccountPauses';
import { BusinessNumbers } from '../numbers/BusinessNumbers';

/* What goes into and out of the retry engine's decisions (RetryEngine). */

/** Who retries, and how. */
export interface RetryRequest {
  trigger: AttemptTrigger;
  actor: string | null;
  force?: boolean;
  reason?: string | null;
  bulkRetryId?: string | null;
}

/** A message claimed for one attempt and not sent yet. */
export interface ClaimedRetry {
  message: FailedMessageRecord;
  attempt: RetryAttempt;
  /** The claim's own: it records the outcome or gives the claim back. */
  claimToken: string;
}

/** The outcome of a retry decision before the send. */
export type ClaimResult =
  | { kind: 'claimed'; claim: ClaimedRetry }
  | { kind: 'skipped'; reason: string; earliestAt: string | null };

/** What the caller read with a message, so it is not read again. */
export interface KnownFacts {
  /** The store's newer-delivery flag of the message ({@link RetryCandidate}). */
  newerDelivered: boolean;
}

export interface RetryEngineOptions {
  store: FailedMessageReads & RetryCandidateReads & RetryClaimStore;
  catalogue: ErrorCodeCatalogue;
  sender: MessageSender;
  /** Where each message's resend goes out from. */
  numbers: BusinessNumbers;
  /** Accounts whose automatic and bulk sends are paused. */
  pauses?: AccountPauses;
  logger: LoggerService;
  maxAutomaticAttempts: number;
  /** Announces finished retries to open pages. */
  signals?: FailedMessagesSignals;
  /** How long a claim holds before an unfinished attempt counts as unknown. */
  leaseSeconds?: number;
  clock?: () => DateTime;
  /** The rate limit a person's retries share with bulk and automatic ones. */
  limiter?: RetryRateLimiter;
  /** How many retries each person may start a minute. */
  manualQuota?: ManualRetryQuota;
}

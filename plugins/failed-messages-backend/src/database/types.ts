import {
  AttemptTrigger,
  Category,
  FailedMessage,
  ProviderError,
  RetryAttempt,
  MessageState,
  RetryStatus,
  SettlementOutcome,
  SortField,
  SortOrder,
} from '@msgops/plugin-failed-messages-common';

/* The values the store takes and returns; its interfaces are in FailedMessageStore. */

/** A failure to store, already classified. */
export interface NewFailedMessage {
  channel: string;
  externalId: string | null;
  recipient: string;
  campaign: string | null;
  templateName: string | null;
  payload: Record<string, unknown> | null;
  error: ProviderError;
  category: Category;
  failedAt: Date;
  nextAutomaticRetryAt: Date | null;
  /** The business number that sent it, when known. */
  businessNumber: StoredBusinessNumber | null;
  /**
   * For a report without an external id: its content hash (contentHash),
   * which makes storing it again return the record stored first.
   */
  contentHash?: string | null;
}

/**
 * The business number a message was sent from, as stored. Its label is not
 * stored: it comes from the configuration when the message is read
 * (BusinessNumbers), so renaming a number renames it everywhere.
 */
export interface StoredBusinessNumber {
  phoneNumberId: string;
  displayPhoneNumber: string | null;
}

/** The outcome of storing one report: new, or the record that already existed. */
export interface StoredReport {
  id: string;
  category: Category;
  created: boolean;
}

/** Filters with presets already resolved to absolute times. */
export interface MessageQueryFilter {
  from?: Date;
  to?: Date;
  category?: Category[];
  errorCode?: string[];
  retryStatus?: RetryStatus[];
  state?: MessageState[];
  campaign?: string;
  phoneNumberId?: string[];
  q?: string;
  /** Only the messages this bulk retry acted on. */
  bulkRetryId?: string;
}

export interface MessageListQuery {
  filter: MessageQueryFilter;
  sort: SortField;
  order: SortOrder;
  limit: number;
  offset: number;
}

/** A failed message together with the send request we stored for it. */
export interface FailedMessageRecord extends FailedMessage {
  payload: Record<string, unknown> | null;
}

/** A claim of one message for one retry attempt. */
export interface AttemptClaim {
  /** The message as the caller read it: the claim fails if it changed since. */
  message: FailedMessageRecord;
  trigger: AttemptTrigger;
  actor: string | null;
  forced: boolean;
  reason: string | null;
  bulkRetryId: string | null;
  now: Date;
  /** Until when the claimant may take to record the outcome. */
  leaseUntil: Date;
}

/**
 * An attempt as its claim created it, with the claim's token: only the
 * holder of the token records its outcome, gives it back or renews its lease.
 * The token is the claimant's alone: it is never shown.
 */
export interface ClaimedAttempt extends RetryAttempt {
  claimToken: string;
}

/** An accepted resend, found by its provider message id. */
export interface ResendAttempt {
  attempt: RetryAttempt;
  messageId: string;
  /** Its claim's token, which a later failure report finishes it with. */
  claimToken: string;
}

/** A claim still held, as its lease renewal names it. */
export interface HeldClaim {
  messageId: string;
  claimToken: string;
}

/** A claim that was never sent, with the message as read before it. */
export interface ClaimToRelease {
  attemptId: string;
  claimToken: string;
  message: FailedMessageRecord;
  now: Date;
}

/** How an attempt ended, and where that leaves its message. */
export interface AttemptFinish {
  attemptId: string;
  /** The token of the claim that made the attempt. */
  claimToken: string;
  messageId: string;
  now: Date;
  outcome: 'succeeded' | 'failed' | 'outcome-unknown';
  error: ProviderError | null;
  providerMessageId: string | null;
  message: {
    retryStatus: RetryStatus;
    /** The newest error and its category replace the message's, when given. */
    error?: ProviderError;
    category?: Category;
    nextAutomaticRetryAt: Date | null;
  };
}

/** One automatic run and its figures. */
export interface AutoRetryRun {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  triggeredBy: string | null;
  attempted: number;
  succeeded: number;
  failed: number;
  /** The messages it left alone, by reason, the most frequent first. */
  skipped: SkippedCount[];
  pausedReason: string | null;
}

export interface SkippedCount {
  reason: string;
  count: number;
}

/** What a bulk retry acts on: listed messages or every match of a filter. */
export type BulkRetryScope = { ids: string[] } | { filter: MessageQueryFilter };

/**
 * One error code's wait before a retry, in the terms the database computes
 * it in: `firstWaitSeconds × backoffFactor ^ attempts` until
 * `steadyFromAttempts` attempts, `steadyWaitSeconds` from then on.
 */
export interface RetryWaitRule {
  errorCode: string;
  firstWaitSeconds: number;
  backoffFactor: number;
  steadyFromAttempts: number;
  steadyWaitSeconds: number;
}

/** Messages alike in every fact a retry decision reads, and how many. */
export interface RetryCandidateCount {
  errorCode: string;
  retryStatus: RetryStatus;
  state: MessageState;
  /** The business number as stored; the sample carries it to the decision. */
  phoneNumberId: string | null;
  displayPhoneNumber: string | null;
  resolved: boolean;
  hasPayload: boolean;
  /** As {@link RetryCandidate.newerDelivered}. */
  newerDelivered: boolean;
  /** Whether the code's wait has passed; null for a code without a rule. */
  waitPassed: boolean | null;
  count: number;
  /** One of them, which stands for the others in the decision. */
  sampleId: string;
}

export type BulkItemOutcome =
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'outcome-unknown';

/** The counter of a bulk retry that an item's outcome adds to. */
export const BULK_OUTCOME_COUNTER: Record<
  BulkItemOutcome,
  'succeeded' | 'failed' | 'skipped'
> = {
  succeeded: 'succeeded',
  failed: 'failed',
  'outcome-unknown': 'failed',
  skipped: 'skipped',
};

/** A bulk retry's item still to be processed. */
export interface PendingBulkItem {
  position: number;
  messageId: string;
  /** The message as it is now; undefined once it was deleted. */
  message: FailedMessageRecord | undefined;
  /** As {@link RetryCandidate.newerDelivered}. */
  newerDelivered: boolean;
}

/** A message with what a retry decision needs to know about it. */
export interface RetryCandidate {
  message: FailedMessageRecord;
  /**
   * Whether a message to the same recipient with the same template that
   * failed later has since been delivered: resending this one would be stale.
   */
  newerDelivered: boolean;
}

/** A message due for the automatic run. */
export type DueMessage = RetryCandidate;

/** How one item of a bulk retry ended. */
export interface BulkItemRecord {
  position: number;
  outcome: BulkItemOutcome;
  skipReason: string | null;
}

/** Raw counts behind the statistics, over a window of UTC days. */
export interface StatisticsAggregates {
  /**
   * Finished attempts by outcome along one dimension at a time, so each
   * attempt is in one row of each: its trigger, the error code it tried to
   * recover from, its number and its UTC day.
   */
  attempts: {
    byTrigger: Array<{ trigger: string; outcome: string; count: number }>;
    byErrorCode: Array<{ errorCode: string; outcome: string; count: number }>;
    byAttemptNumber: Array<{
      attemptNumber: number;
      outcome: string;
      count: number;
    }>;
    byDay: Array<{ day: string; outcome: string; count: number }>;
  };
  /** Failures by UTC day, category and error code. */
  failures: Array<{
    day: string;
    category: string;
    errorCode: string;
    count: number;
  }>;
  /** Median seconds from failure to delivery of messages delivered in the window; null if none. */
  medianSecondsToRecovery: number | null;
}

/** A delivery status Meta reported for a resend. */
export interface AttemptStatusReport {
  providerMessageId: string;
  /** Our message id echoed in biz_opaque_callback_data, when there was one. */
  messageId: string | null;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** Meta's time of the status. */
  at: Date;
  /** The failure Meta reported, for a `failed` status. */
  error: ProviderError | null;
  now: Date;
}

/** What is left to do for a status once its attempt recorded it. */
export type AttemptStatusOutcome =
  /** A resend reached the recipient: its message is to be resolved. */
  | { kind: 'resolve'; messageId: string }
  /**
   * An accepted resend failed: its message is to be failed again with the
   * error, as for any resend found by its provider message id.
   */
  | { kind: 'fail' }
  /** The attempt's send is still being recorded: deliver again later. */
  | { kind: 'being-recorded' }
  /** Nothing: a repeat, a status after a failure, or no attempt to give it to. */
  | { kind: 'nothing' };

/** A person's verdict on a message of unknown outcome. */
export interface ManualSettlement {
  messageId: string;
  outcome: SettlementOutcome;
  actor: string;
  reason: string;
  now: Date;
}

/** Whether the settlement was recorded, or why not. */
export type ManualSettlementResult = 'settled' | 'not-found' | 'not-unknown';

/** A person closing an open failure that needs no resend. */
export interface DismissalRequest {
  messageId: string;
  actor: string;
  reason: string;
  now: Date;
}

/** Whether the dismissal was recorded, or why not. */
export type DismissalResult =
  | 'dismissed'
  | 'not-found'
  | 'already-dismissed'
  | 'resolved'
  | 'retrying';

/** A person bringing a dismissed failure back to open. */
export interface ReopeningRequest {
  messageId: string;
  actor: string;
  now: Date;
}

/** Whether the reopening was recorded, or why not. */
export type ReopeningResult = 'reopened' | 'not-found' | 'not-dismissed';

/** A reservation of a number's next starts (SendSlotStore.reserveSendSlots). */
export interface SendSlotRequest {
  /** The lane: a phone number id, or '' where no number is configured. */
  key: string;
  count: number;
  spacingMs: number;
  /** How far back from now the block may start after a quiet spell. */
  burstMs: number;
}

/** Where a reserved block of starts begins, on the database's clock. */
export interface SendSlotReservation {
  firstAtMs: number;
  nowMs: number;
}

/** An account whose automatic and bulk sends are paused. */
export interface AccountPause {
  account: string;
  reason: string;
  code: string;
  since: string;
}

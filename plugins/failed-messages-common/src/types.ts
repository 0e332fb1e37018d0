/** How a failure can be recovered; shown green, red and yellow. */
export const CATEGORIES = [
  'retryable',
  'non-retryable',
  'business-logic',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Where a failed message stands in its retry life cycle. */
export const RETRY_STATUSES = [
  'never-retried',
  'retrying',
  'retry-failed',
  'max-attempts-reached',
  'retry-succeeded',
  'outcome-unknown',
] as const;
export type RetryStatus = (typeof RETRY_STATUSES)[number];

/** What started a retry attempt. */
export const ATTEMPT_TRIGGERS = [
  'automatic',
  'manual',
  'bulk',
  'scaffolder',
  'action',
] as const;
export type AttemptTrigger = (typeof ATTEMPT_TRIGGERS)[number];

export const ATTEMPT_OUTCOMES = [
  'in-progress',
  'succeeded',
  'failed',
  'outcome-unknown',
] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** Preset windows of the age filter. */
export const AGE_FILTERS = ['24h', '7d', '30d', '90d', 'all'] as const;
export type AgeFilter = (typeof AGE_FILTERS)[number];

export const SORT_FIELDS = [
  'failedAt',
  'errorCode',
  'attempts',
  'nextAutomaticRetryAt',
] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export type SortOrder = 'asc' | 'desc';

/** The error a provider reported for a message or an attempt. */
export interface ProviderError {
  code: string;
  title: string | null;
  message: string | null;
  details: string | null;
}

/** One failed outbound message, as listed. Times are ISO 8601 in UTC. */
export interface FailedMessage {
  id: string;
  channel: string;
  externalId: string | null;
  recipient: string;
  campaign: string | null;
  templateName: string | null;
  error: ProviderError;
  category: Category;
  retryStatus: RetryStatus;
  automaticAttempts: number;
  manualAttempts: number;
  nextAutomaticRetryAt: string | null;
  failedAt: string;
  lastAttemptAt: string | null;
  resolvedAt: string | null;
}

export interface RetryAttempt {
  id: string;
  attemptNumber: number;
  trigger: AttemptTrigger;
  /** A user entity ref, a service subject, or null for the automatic run. */
  actor: string | null;
  startedAt: string;
  finishedAt: string | null;
  outcome: AttemptOutcome;
  error: ProviderError | null;
  providerMessageId: string | null;
}

export interface RetryEligibility {
  canRetry: boolean;
  /** Why not, in words an agent understands; null when the message can be retried. */
  reason: string | null;
  /** The earliest time a retry may happen, where known. */
  earliestAt: string | null;
}

export interface FailedMessageDetail extends FailedMessage {
  explanation: { meaning: string; action: string };
  eligibility: RetryEligibility;
  payload: Record<string, unknown> | null;
  attempts: RetryAttempt[];
}

/** Filters shared by the list, the summary, the CSV export and bulk retries. */
export interface FailedMessageFilter {
  age?: AgeFilter;
  from?: string;
  to?: string;
  category?: Category[];
  errorCode?: string[];
  retryStatus?: RetryStatus[];
  campaign?: string;
  q?: string;
}

export interface FailedMessageSummary {
  total: number;
  retryable: number;
  nonRetryable: number;
  businessLogic: number;
}

export interface FailedMessagePage {
  items: FailedMessage[];
  totalCount: number;
}

/** What the catalogue knows about one provider error code. */
export interface ErrorCodeInfo {
  /** The provider's numeric code, as a string ('131049'), or a synthetic one ('network-error'). */
  code: string;
  title: string;
  category: Category;
  /** What happened, in plain words for an agent. */
  meaning: string;
  /** What to do about it, in plain words for an agent. */
  action: string;
  /** Minimum time after the failure (or the previous attempt) before a retry makes sense. */
  minWaitSeconds: number;
  /**
   * Documented exponential backoff: the wait before a retry that follows `n` earlier
   * attempts is `minWaitSeconds * backoffFactor ** n`. Absent when the wait is fixed.
   */
  backoffFactor?: number;
  /** Whether the daily automatic run may retry it. */
  autoRetry: boolean;
  /** A failure of the sending account, not of the message: automatic retry pauses. */
  accountLevel: boolean;
}

/** Operator overrides of a catalogue entry (app-config `failedMessages.errorCodes`). */
export type ErrorCodeOverride = Partial<Omit<ErrorCodeInfo, 'code'>>;

export const BULK_RETRY_STATUSES = [
  'running',
  'completed',
  'cancelled',
  'paused',
  'failed',
] as const;
export type BulkRetryStatus = (typeof BULK_RETRY_STATUSES)[number];

/** A bulk retry: what it acts on was fixed when it was created. */
export interface BulkRetry {
  id: string;
  status: BulkRetryStatus;
  /** Messages it acts on. */
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  skipped: number;
  /** The user entity ref or service that started it. */
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  reason: string | null;
}

/** What a bulk retry would do, without sending anything. */
export interface BulkRetryPreview {
  matched: number;
  eligible: number;
  skipped: Array<{ reason: string; count: number }>;
}

/** Retries and how they ended. */
export interface RetryCounts {
  total: number;
  succeeded: number;
  failed: number;
}

/** Retry statistics over a time window (GET /statistics). */
export interface RetryStatistics {
  from: string;
  to: string;
  bucket: 'day' | 'week';
  /** Share of finished retries that WhatsApp accepted; null without retries. */
  retrySuccessRate: number | null;
  retries: RetryCounts;
  byTrigger: Record<AttemptTrigger, RetryCounts>;
  byErrorCode: Array<{
    code: string;
    title: string;
    failures: number;
    retries: number;
    succeeded: number;
    successRate: number | null;
  }>;
  byAttemptNumber: Array<{
    attemptNumber: number;
    retries: number;
    succeeded: number;
    successRate: number | null;
  }>;
  trend: Array<{
    bucketStart: string;
    failures: { retryable: number; nonRetryable: number; businessLogic: number };
    retries: number;
    succeeded: number;
  }>;
  /** Median time from failure to delivery of a retried message, in seconds. */
  medianSecondsToRecovery: number | null;
}

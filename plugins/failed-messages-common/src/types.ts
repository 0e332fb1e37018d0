import { components, parameters } from './schema/openapi.generated';

/**
 * The shapes of the API's answers are the OpenAPI document's schemas
 * (plugins/failed-messages-backend/src/schema/components/schemas/), so that
 * the backend, its document and its clients cannot disagree.
 */
type Schemas = components['schemas'];

/** How a failure can be recovered; shown green, red and yellow. */
export const CATEGORIES = parameters.category.schema.items.enum;
export type Category = (typeof CATEGORIES)[number];

/**
 * Whether a person may retry a code by hand: now, once its rule is met;
 * after its wait; or only as a forced retry.
 */
export const MANUAL_RETRY_RULES = ['allowed', 'after-wait', 'never'] as const;
export type ManualRetry = Schemas['ManualRetry'];

/** Where a failed message stands in its retry life cycle. */
export const RETRY_STATUSES = parameters.retryStatus.schema.items.enum;
export type RetryStatus = (typeof RETRY_STATUSES)[number];

/** Whether a failure is still to be done, resolved, or dismissed by a person. */
export const MESSAGE_STATES = parameters.state.schema.items.enum;
export type MessageState = (typeof MESSAGE_STATES)[number];

/** Who closed a failure without a resend, when and why. */
export type Dismissal = Schemas['Dismissal'];

/** Why a resolved failure is resolved: its own delivery or a newer one's. */
export type Resolution = Schemas['Resolution'];

/** A dismissal, reopening or resolution, as the timeline shows it. */
export type StateChange = Schemas['StateChange'];

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
export const AGE_FILTERS = parameters.age.schema.enum;
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
export type ProviderError = Schemas['ProviderError'];

/** One failed outbound message, as listed. Times are ISO 8601 in UTC. */
export type FailedMessage = Schemas['FailedMessage'];

export type RetryAttempt = Schemas['RetryAttempt'];

/** What Meta reported about a resend after accepting it. */
export type AttemptDelivery = Schemas['AttemptDelivery'];

/** How a person settled an attempt of unknown outcome by hand. */
export type Settlement = Schemas['Settlement'];

export type SettlementOutcome = Schemas['SettlementOutcome'];

export interface RetryEligibility {
  canRetry: boolean;
  /** Why not, in words an agent understands; null when the message can be retried. */
  reason: string | null;
  /** The earliest time a retry may happen, where known. */
  earliestAt: string | null;
}

export type FailedMessageDetail = Schemas['FailedMessageDetail'];

export type FailedMessageSummary = Schemas['Summary'];

export type FailedMessagePage = Schemas['FailedMessagePage'];

/** What the catalogue knows about one provider error code. */
export type ErrorCodeInfo = Schemas['ErrorCodeInfo'];

/**
 * Operator overrides of a catalogue entry (app-config `failedMessages.errorCodes`).
 * The documentation link is Meta's page for the code, so it is not overridable.
 */
export type ErrorCodeOverride = Partial<
  Omit<ErrorCodeInfo, 'code' | 'docsUrl'>
>;

export const BULK_RETRY_STATUSES = [
  'running',
  'completed',
  'cancelled',
  'paused',
  'failed',
] as const;
export type BulkRetryStatus = (typeof BULK_RETRY_STATUSES)[number];

/** A bulk retry: what it acts on was fixed when it was created. */
export type BulkRetry = Schemas['BulkRetry'];

/** What a bulk retry would do, without sending anything. */
export interface BulkRetryPreview {
  matched: number;
  eligible: number;
  skipped: Array<{ reason: string; count: number }>;
}

/** Retries and how they ended. */
export type RetryCounts = Schemas['RetryCounts'];

/** Retry statistics over a time window (GET /statistics). */
export type RetryStatistics = Schemas['RetryStatistics'];

/** The daily automatic run: schedule, time zone, next run, last runs and the run going (GET /auto-retry). */
export type AutoRetryStatus = Schemas['AutoRetryStatus'];

/** One automatic run and its figures; finishedAt is null while it goes. */
export type AutoRetryRunFigures = Schemas['AutoRetryRunFigures'];

/** What Run now answers (POST /auto-retry/run): started, or the run already going. */
export type AutoRetryRunNow =
  | { status: 'started' }
  | { status: 'already-running'; run: AutoRetryRunFigures | null };

/** The business number a message was sent from; `label` is null when it is not configured here. */
export type BusinessNumber = Schemas['BusinessNumber'];

/** A business number this deployment sends from, and its account (GET /business-numbers). */
export type ConfiguredBusinessNumber = Schemas['ConfiguredBusinessNumber'];

/** An account whose automatic and bulk sends are paused after an account-level error. */
export type AccountPause = Schemas['AccountPause'];

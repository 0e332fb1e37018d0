import { components, parameters } from './schema/openapi.generated';

// The shapes of the API's answers are the OpenAPI document's schemas
// (plugins/failed-messages-backend/src/schema/components/schemas/), so that
// the backend, its document and its clients cannot disagree.

/**
 * How a failure can be recovered; shown green, red and yellow.
 *
 * @public
 */
export const CATEGORIES = parameters.category.schema.items.enum;

/** @public */
export type Category = (typeof CATEGORIES)[number];

/**
 * Whether a person may retry a code by hand: now, once its rule is met;
 * after its wait; or only as a forced retry.
 *
 * @public
 */
export const MANUAL_RETRY_RULES = ['allowed', 'after-wait', 'never'] as const;

/** @public */
export type ManualRetry = components['schemas']['ManualRetry'];

/**
 * Where a failed message stands in its retry life cycle.
 *
 * @public
 */
export const RETRY_STATUSES = parameters.retryStatus.schema.items.enum;

/** @public */
export type RetryStatus = (typeof RETRY_STATUSES)[number];

/**
 * Whether a failure is still to be done, resolved, or dismissed by a person.
 *
 * @public
 */
export const MESSAGE_STATES = parameters.state.schema.items.enum;

/** @public */
export type MessageState = (typeof MESSAGE_STATES)[number];

/**
 * Who closed a failure without a resend, when and why.
 *
 * @public
 */
export type Dismissal = components['schemas']['Dismissal'];

/**
 * Why a resolved failure is resolved: its own delivery or a newer one's.
 *
 * @public
 */
export type Resolution = components['schemas']['Resolution'];

/**
 * A dismissal, reopening or resolution, as the timeline shows it.
 *
 * @public
 */
export type StateChange = components['schemas']['StateChange'];

/**
 * What started a retry attempt.
 *
 * @public
 */
export const ATTEMPT_TRIGGERS = [
  'automatic',
  'manual',
  'bulk',
  'scaffolder',
  'action',
] as const;

/** @public */
export type AttemptTrigger = (typeof ATTEMPT_TRIGGERS)[number];

/** @public */
export const ATTEMPT_OUTCOMES = [
  'in-progress',
  'succeeded',
  'failed',
  'outcome-unknown',
] as const;

/** @public */
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/**
 * Preset windows of the age filter.
 *
 * @public
 */
export const AGE_FILTERS = parameters.age.schema.enum;

/** @public */
export type AgeFilter = (typeof AGE_FILTERS)[number];

/** @public */
export const SORT_FIELDS = [
  'failedAt',
  'errorCode',
  'attempts',
  'nextAutomaticRetryAt',
] as const;

/** @public */
export type SortField = (typeof SORT_FIELDS)[number];

/** @public */
export type SortOrder = 'asc' | 'desc';

/**
 * The error a provider reported for a message or an attempt.
 *
 * @public
 */
export type ProviderError = components['schemas']['ProviderError'];

/**
 * One failed outbound message, as listed. Times are ISO 8601 in UTC.
 *
 * @public
 */
export type FailedMessage = components['schemas']['FailedMessage'];

/** @public */
export type RetryAttempt = components['schemas']['RetryAttempt'];

/**
 * What Meta reported about a resend after accepting it.
 *
 * @public
 */
export type AttemptDelivery = components['schemas']['AttemptDelivery'];

/**
 * How a person settled an attempt of unknown outcome by hand.
 *
 * @public
 */
export type Settlement = components['schemas']['Settlement'];

/** @public */
export type SettlementOutcome = components['schemas']['SettlementOutcome'];

/** @public */
export interface RetryEligibility {
  canRetry: boolean;
  /** Why not, in words an agent understands; null when the message can be retried. */
  reason: string | null;
  /** The earliest time a retry may happen, where known. */
  earliestAt: string | null;
}

/** @public */
export type FailedMessageDetail = components['schemas']['FailedMessageDetail'];

/** @public */
export type FailedMessageSummary = components['schemas']['Summary'];

/** @public */
export type FailedMessagePage = components['schemas']['FailedMessagePage'];

/**
 * What the catalogue knows about one provider error code.
 *
 * @public
 */
export type ErrorCodeInfo = components['schemas']['ErrorCodeInfo'];

/**
 * Operator overrides of a catalogue entry (app-config `failedMessages.errorCodes`).
 * The documentation link is Meta's page for the code, so it is not overridable.
 *
 * @public
 */
export type ErrorCodeOverride = Partial<
  Omit<ErrorCodeInfo, 'code' | 'docsUrl'>
>;

/** @public */
export const BULK_RETRY_STATUSES = [
  'running',
  'completed',
  'cancelled',
  'paused',
  'failed',
] as const;

/** @public */
export type BulkRetryStatus = (typeof BULK_RETRY_STATUSES)[number];

/**
 * A bulk retry: what it acts on was fixed when it was created.
 *
 * @public
 */
export type BulkRetry = components['schemas']['BulkRetry'];

/**
 * What a bulk retry would do, without sending anything.
 *
 * @public
 */
export interface BulkRetryPreview {
  matched: number;
  eligible: number;
  skipped: Array<{ reason: string; count: number }>;
}

/**
 * Retries and how they ended.
 *
 * @public
 */
export type RetryCounts = components['schemas']['RetryCounts'];

/**
 * Retry statistics over a time window (GET /statistics).
 *
 * @public
 */
export type RetryStatistics = components['schemas']['RetryStatistics'];

/**
 * The daily automatic run: schedule, time zone, next run, last runs and the run going (GET /auto-retry).
 *
 * @public
 */
export type AutoRetryStatus = components['schemas']['AutoRetryStatus'];

/**
 * One automatic run and its figures; finishedAt is null while it goes.
 *
 * @public
 */
export type AutoRetryRunFigures = components['schemas']['AutoRetryRunFigures'];

/**
 * What Run now answers (POST /auto-retry/run): started, or the run already going.
 *
 * @public
 */
export type AutoRetryRunNow =
  | { status: 'started' }
  | { status: 'already-running'; run: AutoRetryRunFigures | null };

/**
 * The business number a message was sent from; `label` is null when it is not configured here.
 *
 * @public
 */
export type BusinessNumber = components['schemas']['BusinessNumber'];

/**
 * A business number this deployment sends from, and its account (GET /business-numbers).
 *
 * @public
 */
export type ConfiguredBusinessNumber =
  components['schemas']['ConfiguredBusinessNumber'];

/**
 * An account whose automatic and bulk sends are paused after an account-level error.
 *
 * @public
 */
export type AccountPause = components['schemas']['AccountPause'];

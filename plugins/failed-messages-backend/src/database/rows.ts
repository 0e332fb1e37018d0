import {
  AttemptDelivery,
  AttemptOutcome,
  AttemptTrigger,
  BulkRetry,
  BulkRetryStatus,
  Category,
  FailedMessage,
  RetryAttempt,
  MessageState,
  Resolution,
  RetryStatus,
  SettlementOutcome,
  StateChange,
} from '@msgops/plugin-failed-messages-common';
import { AutoRetryRun, FailedMessageRecord, RetryCandidate } from './types';
import { CountKey } from './messageCounts';

/* The store's rows as the database returns them, and the records made of them. */

/** PostgreSQL returns Date objects; SQLite stores the milliseconds Knex bound. */
export type DbTime = Date | number | string;

export function toIso(value: DbTime): string {
  return new Date(value).toISOString();
}

export function toIsoOrNull(value: DbTime | null): string | null {
  return value === null ? null : toIso(value);
}

/** A record's time as Knex binds it, so SQLite stores milliseconds. */
export function toDateOrNull(iso: string | null): Date | null {
  return iso === null ? null : new Date(iso);
}

export interface MessageRow {
  id: string;
  channel: string;
  external_id: string | null;
  recipient: string;
  campaign: string | null;
  template_name: string | null;
  payload: string | null;
  error_code: string;
  error_title: string | null;
  error_message: string | null;
  error_details: string | null;
  category: string;
  retry_status: string;
  automatic_attempts: number | string;
  manual_attempts: number | string;
  next_automatic_retry_at: DbTime | null;
  failed_at: DbTime;
  last_attempt_at: DbTime | null;
  resolved_at: DbTime | null;
  state: string;
  dismissed_at: DbTime | null;
  dismissed_by: string | null;
  dismiss_reason: string | null;
  resolution: string | null;
  resolution_at: DbTime | null;
  newer_message_id: string | null;
  phone_number_id: string | null;
  display_phone_number: string | null;
}

export interface AttemptRow {
  id: string;
  message_id: string;
  attempt_number: number | string;
  trigger: string;
  actor: string | null;
  started_at: DbTime;
  finished_at: DbTime | null;
  outcome: string;
  error_code: string | null;
  error_title: string | null;
  error_message: string | null;
  error_details: string | null;
  provider_message_id: string | null;
  /** Set on attempts a person settled by hand (settleUnknownOutcome). */
  settled_as?: string | null;
  settled_by?: string | null;
  settled_at?: DbTime | null;
  settle_reason?: string | null;
  /** The token of the claim that made the attempt (claimAttempts). */
  claim_token?: string;
  forced?: boolean | number;
  reason?: string | null;
  /** The latest status Meta reported for it (recordAttemptStatus). */
  last_status?: string | null;
  last_status_at?: DbTime | null;
  /** Meta's first time of each status it reported (recordAttemptStatus). */
  status_sent_at?: DbTime | null;
  status_delivered_at?: DbTime | null;
  status_read_at?: DbTime | null;
  status_failed_at?: DbTime | null;
}

/** The attempt's column of Meta's first time of each status. */
export const STATUS_TIME_COLUMNS = {
  sent: 'status_sent_at',
  delivered: 'status_delivered_at',
  read: 'status_read_at',
  failed: 'status_failed_at',
} as const satisfies Record<AttemptDelivery['status'], keyof AttemptRow>;

export interface StateChangeRow {
  id: string;
  message_id: string;
  change: string;
  /** Null for a change the product made (a newer message was delivered). */
  actor: string | null;
  at: DbTime;
  reason: string | null;
}

export interface BulkRow {
  id: string;
  status: string;
  scope: string;
  reason: string | null;
  created_by: string;
  created_at: DbTime;
  finished_at: DbTime | null;
  total: number | string;
  processed: number | string;
  succeeded: number | string;
  failed: number | string;
  skipped: number | string;
}

export interface AutoRetryRunRow {
  id: string;
  started_at: DbTime;
  finished_at: DbTime | null;
  triggered_by: string | null;
  attempted: number | string;
  succeeded: number | string;
  failed: number | string;
  /** JSON SkippedCount[]; null on runs recorded before it was kept. */
  skipped: string | null;
  paused_reason: string | null;
}

/** A message row read with its newer-delivery flag (see newerDeliveredColumn). */
export type CandidateRow = MessageRow & { newer_delivered: boolean | number };

/** The columns of a message as lists show it: all but the payload. */
export const LIST_COLUMNS = [
  'id',
  'channel',
  'external_id',
  'recipient',
  'campaign',
  'template_name',
  'error_code',
  'error_title',
  'error_message',
  'error_details',
  'category',
  'retry_status',
  'automatic_attempts',
  'manual_attempts',
  'next_automatic_retry_at',
  'failed_at',
  'last_attempt_at',
  'resolved_at',
  'state',
  'dismissed_at',
  'dismissed_by',
  'dismiss_reason',
  'resolution',
  'resolution_at',
  'newer_message_id',
  'phone_number_id',
  'display_phone_number',
];

/** The columns a message's count key is made of (countKeyOfRow). */
export const COUNT_KEY_COLUMNS = [
  'failed_at',
  'category',
  'error_code',
  'retry_status',
  'state',
  'campaign',
  'phone_number_id',
];

export function countKeyOfRow(
  row: Pick<
    MessageRow,
    | 'failed_at'
    | 'category'
    | 'error_code'
    | 'retry_status'
    | 'state'
    | 'campaign'
    | 'phone_number_id'
  >,
): CountKey {
  return {
    failedAt: row.failed_at,
    category: row.category,
    errorCode: row.error_code,
    retryStatus: row.retry_status,
    state: row.state,
    campaign: row.campaign,
    phoneNumberId: row.phone_number_id,
  };
}

/** The dimensions a message record is counted under. */
export function countKeyOf(message: FailedMessageRecord): CountKey {
  return {
    failedAt: message.failedAt,
    category: message.category,
    errorCode: message.error.code,
    retryStatus: message.retryStatus,
    state: message.state,
    campaign: message.campaign,
    phoneNumberId: message.businessNumber?.phoneNumberId ?? null,
  };
}

export function rowToMessage(row: Omit<MessageRow, 'payload'>): FailedMessage {
  return {
    id: row.id,
    channel: row.channel,
    externalId: row.external_id,
    recipient: row.recipient,
    campaign: row.campaign,
    templateName: row.template_name,
    error: {
      code: row.error_code,
      title: row.error_title,
      message: row.error_message,
      details: row.error_details,
    },
    category: row.category as Category,
    retryStatus: row.retry_status as RetryStatus,
    automaticAttempts: Number(row.automatic_attempts),
    manualAttempts: Number(row.manual_attempts),
    nextAutomaticRetryAt: toIsoOrNull(row.next_automatic_retry_at),
    failedAt: toIso(row.failed_at),
    lastAttemptAt: toIsoOrNull(row.last_attempt_at),
    resolvedAt: toIsoOrNull(row.resolved_at),
    state: row.state as MessageState,
    dismissal: row.dismissed_at
      ? {
          by: row.dismissed_by!,
          at: toIso(row.dismissed_at),
          reason: row.dismiss_reason!,
        }
      : null,
    // A message reopened by a new error keeps its old resolution's columns.
    resolution:
      row.state === 'resolved' && row.resolution && row.resolution_at
        ? {
            cause: row.resolution as Resolution['cause'],
            at: toIso(row.resolution_at),
            newerMessageId: row.newer_message_id,
          }
        : null,
    // Labels come from the configuration, not the store (BusinessNumbers).
    businessNumber: row.phone_number_id
      ? {
          phoneNumberId: row.phone_number_id,
          displayPhoneNumber: row.display_phone_number,
          label: null,
        }
      : null,
  };
}

export function rowToRecord(row: MessageRow): FailedMessageRecord {
  return {
    ...rowToMessage(row),
    payload: row.payload === null ? null : JSON.parse(row.payload),
  };
}

export function rowToCandidate(row: CandidateRow): RetryCandidate {
  return {
    message: rowToRecord(row),
    newerDelivered: Boolean(row.newer_delivered),
  };
}

/**
 * Each status Meta reported for the attempt with its time, in time order;
 * statuses of one second keep their order of happening.
 */
function statusesOf(row: AttemptRow): AttemptDelivery[] {
  const statuses = Object.keys(
    STATUS_TIME_COLUMNS,
  ) as AttemptDelivery['status'][];
  return statuses
    .flatMap(status => {
      const at = row[STATUS_TIME_COLUMNS[status]];
      return at ? [{ status, at: toIso(at) }] : [];
    })
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export function rowToAttempt(row: AttemptRow): RetryAttempt {
  return {
    id: row.id,
    attemptNumber: Number(row.attempt_number),
    trigger: row.trigger as AttemptTrigger,
    actor: row.actor,
    startedAt: toIso(row.started_at),
    finishedAt: toIsoOrNull(row.finished_at),
    outcome: row.outcome as AttemptOutcome,
    error:
      row.error_code === null
        ? null
        : {
            code: row.error_code,
            title: row.error_title,
            message: row.error_message,
            details: row.error_details,
          },
    providerMessageId: row.provider_message_id,
    reason: row.reason ?? null,
    forced: Boolean(row.forced),
    delivery:
      row.last_status && row.last_status_at
        ? {
            status: row.last_status as AttemptDelivery['status'],
            at: toIso(row.last_status_at),
          }
        : null,
    statuses: statusesOf(row),
    ...(row.settled_at && {
      settlement: {
        outcome: row.settled_as as SettlementOutcome,
        actor: row.settled_by!,
        at: toIso(row.settled_at),
        reason: row.settle_reason!,
      },
    }),
  };
}

export function rowToStateChange(row: StateChangeRow): StateChange {
  return {
    change: row.change as StateChange['change'],
    actor: row.actor,
    at: toIso(row.at),
    reason: row.reason,
  };
}

/**
 * What a run acts on, as stored (BulkRetryScope, its times as JSON keeps
 * them): the number of listed ids, or the filter.
 */
function storedScopeOf(scope: string): BulkRetry['scope'] {
  const stored = JSON.parse(scope) as
    | { ids: string[] }
    | { filter: BulkRetry['scope']['filter'] };
  return 'ids' in stored
    ? { selected: stored.ids.length }
    : { filter: stored.filter };
}

export function rowToBulkRetry(row: BulkRow): BulkRetry {
  return {
    id: row.id,
    status: row.status as BulkRetryStatus,
    total: Number(row.total),
    processed: Number(row.processed),
    succeeded: Number(row.succeeded),
    failed: Number(row.failed),
    skipped: Number(row.skipped),
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    finishedAt: toIsoOrNull(row.finished_at),
    reason: row.reason,
    scope: storedScopeOf(row.scope),
  };
}

export function rowToAutoRetryRun(row: AutoRetryRunRow): AutoRetryRun {
  return {
    id: row.id,
    startedAt: toIso(row.started_at),
    finishedAt: toIsoOrNull(row.finished_at),
    triggeredBy: row.triggered_by,
    attempted: Number(row.attempted),
    succeeded: Number(row.succeeded),
    failed: Number(row.failed),
    skipped: row.skipped ? JSON.parse(row.skipped) : [],
    pausedReason: row.paused_reason,
  };
}

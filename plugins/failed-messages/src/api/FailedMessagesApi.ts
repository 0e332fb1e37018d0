import { createApiRef } from '@backstage/core-plugin-api';
import {
  AccountPause,
  AutoRetryRunNow,
  AutoRetryStatus,
  BulkRetry,
  BulkRetryStatus,
  BulkRetryPreview,
  ConfiguredBusinessNumber,
  ErrorCodeInfo,
  FailedMessage,
  FailedMessageDetail,
  FailedMessageFilter,
  FailedMessagePage,
  FailedMessageSummary,
  RetryAttempt,
  RetryStatistics,
  SettlementOutcome,
  SortField,
  SortOrder,
} from '@msgops/plugin-failed-messages-common';

export type { AutoRetryRunNow, AutoRetryStatus };

/**
 * A page of the message list: the filter plus sorting and paging.
 *
 * @public
 */
export interface ListMessagesRequest extends FailedMessageFilter {
  sort?: SortField;
  order?: SortOrder;
  limit?: number;
  offset?: number;
}

/**
 * What a bulk retry acts on: explicit ids or everything a filter matches.
 *
 * @public
 */
export interface BulkRetryScope {
  ids?: string[];
  filter?: FailedMessageFilter;
}

/** @public */
export interface RetryMessageOptions {
  /** Retry a business-logic failure although the rule may still apply. */
  force?: boolean;
  reason?: string;
}

/** @public */
export interface RetryMessageResult {
  message: FailedMessage;
  attempt: RetryAttempt;
}

/**
 * A person's verdict on a message of unknown outcome.
 *
 * @public
 */
export interface SettleMessageRequest {
  outcome: SettlementOutcome;
  /** Why; kept with the attempt and shown in its timeline. */
  reason: string;
}

/**
 * What a resume did: the accounts it resumed, and those still paused.
 *
 * @public
 */
export interface ResumeAutoRetryResult {
  resumed: string[];
  paused: AccountPause[];
}

/** @public */
export interface StatisticsQuery {
  from?: string;
  to?: string;
  bucket?: 'day' | 'week';
  /** Only this campaign's messages. */
  campaign?: string;
}

/**
 * Client of the failed-messages backend.
 *
 * @public
 */
export interface FailedMessagesApi {
  listMessages(request?: ListMessagesRequest): Promise<FailedMessagePage>;
  getSummary(filter?: FailedMessageFilter): Promise<FailedMessageSummary>;
  getMessage(id: string): Promise<FailedMessageDetail>;
  /** URL of the CSV export of every message the filter matches. */
  exportUrl(filter?: FailedMessageFilter): Promise<string>;
  retryMessage(
    id: string,
    options?: RetryMessageOptions,
  ): Promise<RetryMessageResult>;
  /** Settles a message of unknown outcome by hand; answers it as it is now. */
  settleMessage(
    id: string,
    request: SettleMessageRequest,
  ): Promise<FailedMessageDetail>;
  /** Closes an open failure that needs no resend; answers it as it is now. */
  dismissMessage(id: string, reason: string): Promise<FailedMessageDetail>;
  /** Brings a dismissed failure back to open; answers it as it is now. */
  reopenMessage(id: string): Promise<FailedMessageDetail>;
  previewBulkRetry(scope: BulkRetryScope): Promise<BulkRetryPreview>;
  startBulkRetry(scope: BulkRetryScope, reason?: string): Promise<BulkRetry>;
  getBulkRetry(id: string): Promise<BulkRetry>;
  /** The recent and running bulk retries, newest first. */
  listBulkRetries(options?: {
    status?: BulkRetryStatus[];
    limit?: number;
  }): Promise<BulkRetry[]>;
  cancelBulkRetry(id: string): Promise<BulkRetry>;
  getAutoRetry(): Promise<AutoRetryStatus>;
  /** Starts the automatic run now, unless one is going already. */
  runAutoRetry(): Promise<AutoRetryRunNow>;
  /** Resumes the paused sends of one account, or of every paused account without one. */
  resumeAutoRetry(account?: string): Promise<ResumeAutoRetryResult>;
  /** The business numbers this deployment sends from, in the configuration's order. */
  listBusinessNumbers(): Promise<ConfiguredBusinessNumber[]>;
  getErrorCodes(): Promise<ErrorCodeInfo[]>;
  /** Known campaign names containing `q` (case-insensitive), most recently seen first. */
  listCampaigns(query?: { q?: string; limit?: number }): Promise<string[]>;
  getStatistics(query?: StatisticsQuery): Promise<RetryStatistics>;
}

/** @public */
export const failedMessagesApiRef = createApiRef<FailedMessagesApi>({
  id: 'plugin.failed-messages.service',
});

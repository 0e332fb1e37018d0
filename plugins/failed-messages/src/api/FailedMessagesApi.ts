import { createApiRef } from '@backstage/core-plugin-api';
import {
  AutoRetryStatus,
  BulkRetry,
  BulkRetryPreview,
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
} from '@internal/plugin-failed-messages-common';

export type { AutoRetryStatus };

/** A page of the message list: the filter plus sorting and paging. */
export interface ListMessagesRequest extends FailedMessageFilter {
  sort?: SortField;
  order?: SortOrder;
  limit?: number;
  offset?: number;
}

/** What a bulk retry acts on: explicit ids or everything a filter matches. */
export interface BulkRetryScope {
  ids?: string[];
  filter?: FailedMessageFilter;
}

export interface RetryMessageOptions {
  /** Retry a business-logic failure although the rule may still apply. */
  force?: boolean;
  reason?: string;
}

export interface RetryMessageResult {
  message: FailedMessage;
  attempt: RetryAttempt;
}

/** A person's verdict on a message of unknown outcome. */
export interface SettleMessageRequest {
  outcome: SettlementOutcome;
  /** Why; kept with the attempt and shown in its timeline. */
  reason: string;
}

export interface StatisticsQuery {
  from?: string;
  to?: string;
  bucket?: 'day' | 'week';
}

/** Client of the failed-messages backend. */
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
  previewBulkRetry(scope: BulkRetryScope): Promise<BulkRetryPreview>;
  startBulkRetry(scope: BulkRetryScope, reason?: string): Promise<BulkRetry>;
  getBulkRetry(id: string): Promise<BulkRetry>;
  cancelBulkRetry(id: string): Promise<BulkRetry>;
  getAutoRetry(): Promise<AutoRetryStatus>;
  getErrorCodes(): Promise<ErrorCodeInfo[]>;
  getStatistics(query?: StatisticsQuery): Promise<RetryStatistics>;
}

export const failedMessagesApiRef = createApiRef<FailedMessagesApi>({
  id: 'plugin.failed-messages.service',
});

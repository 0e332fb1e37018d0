import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  BulkRetry,
  BulkRetryStatus,
  BulkRetryPreview,
  ConfiguredBusinessNumber,
  createFailedMessagesHttpClient,
  ErrorCodeInfo,
  FailedMessageDetail,
  FailedMessageFilter,
  FailedMessagePage,
  FailedMessageSummary,
  FailedMessagesHttpClient,
  pickFailedMessageFilter,
  RetryStatistics,
  toQueryString,
} from '@msgops/plugin-failed-messages-common';
import {
  AutoRetryRunNow,
  AutoRetryStatus,
  BulkRetryScope,
  FailedMessagesApi,
  ListMessagesRequest,
  ResumeAutoRetryResult,
  RetryMessageOptions,
  RetryMessageResult,
  SettleMessageRequest,
  StatisticsQuery,
} from './FailedMessagesApi';

/**
 * Talks to the failed-messages backend through the app's discovery and fetch APIs.
 *
 * @public
 */
export class FailedMessagesClient implements FailedMessagesApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listMessages(
    request: ListMessagesRequest = {},
  ): Promise<FailedMessagePage> {
    const { sort, order, limit, offset, ...filter } = request;
    const client = await this.http();
    const { data } = await client.request('get', '/messages', {
      params: {
        query: {
          ...pickFailedMessageFilter(filter),
          sort,
          order,
          limit,
          offset,
        },
      },
    });
    return data!;
  }

  async getSummary(
    filter?: FailedMessageFilter,
  ): Promise<FailedMessageSummary> {
    const client = await this.http();
    const { data } = await client.request('get', '/summary', {
      params: { query: pickFailedMessageFilter(filter ?? {}) },
    });
    return data!;
  }

  async getMessage(id: string): Promise<FailedMessageDetail> {
    const client = await this.http();
    const { data } = await client.request('get', '/messages/{id}', {
      params: { path: { id } },
    });
    return data!;
  }

  async exportUrl(filter?: FailedMessageFilter): Promise<string> {
    const query = toQueryString(pickFailedMessageFilter(filter ?? {}));
    return `${await this.baseUrl()}/export/messages.csv${
      query ? `?${query}` : ''
    }`;
  }

  async retryMessage(
    id: string,
    options: RetryMessageOptions = {},
  ): Promise<RetryMessageResult> {
    const client = await this.http();
    const { data } = await client.request('post', '/messages/{id}/retry', {
      params: { path: { id } },
      body: options,
    });
    return data!;
  }

  async settleMessage(
    id: string,
    request: SettleMessageRequest,
  ): Promise<FailedMessageDetail> {
    const client = await this.http();
    const { data } = await client.request('post', '/messages/{id}/settle', {
      params: { path: { id } },
      body: request,
    });
    return data!.message;
  }

  async dismissMessage(
    id: string,
    reason: string,
  ): Promise<FailedMessageDetail> {
    const client = await this.http();
    const { data } = await client.request('post', '/messages/{id}/dismiss', {
      params: { path: { id } },
      body: { reason },
    });
    return data!.message;
  }

  async reopenMessage(id: string): Promise<FailedMessageDetail> {
    const client = await this.http();
    const { data } = await client.request('post', '/messages/{id}/reopen', {
      params: { path: { id } },
    });
    return data!.message;
  }

  async previewBulkRetry(scope: BulkRetryScope): Promise<BulkRetryPreview> {
    const client = await this.http();
    const { data } = await client.request('post', '/bulk-retries', {
      body: { ...scope, dryRun: true },
    });
    return data as BulkRetryPreview;
  }

  async startBulkRetry(
    scope: BulkRetryScope,
    reason?: string,
  ): Promise<BulkRetry> {
    const client = await this.http();
    const { data } = await client.request('post', '/bulk-retries', {
      body: { ...scope, reason },
    });
    return data as BulkRetry;
  }

  async getBulkRetry(id: string): Promise<BulkRetry> {
    const client = await this.http();
    const { data } = await client.request('get', '/bulk-retries/{id}', {
      params: { path: { id } },
    });
    return data!;
  }

  async listBulkRetries(
    options: { status?: BulkRetryStatus[]; limit?: number } = {},
  ): Promise<BulkRetry[]> {
    const client = await this.http();
    const { data } = await client.request('get', '/bulk-retries', {
      params: { query: options },
    });
    return data!.items;
  }

  async cancelBulkRetry(id: string): Promise<BulkRetry> {
    const client = await this.http();
    const { data } = await client.request('post', '/bulk-retries/{id}/cancel', {
      params: { path: { id } },
    });
    return data!;
  }

  async getAutoRetry(): Promise<AutoRetryStatus> {
    const client = await this.http();
    const { data } = await client.request('get', '/auto-retry');
    return data!;
  }

  async runAutoRetry(): Promise<AutoRetryRunNow> {
    const client = await this.http();
    const { data } = await client.request('post', '/auto-retry/run');
    return data!;
  }

  async resumeAutoRetry(account?: string): Promise<ResumeAutoRetryResult> {
    const client = await this.http();
    const { data } = await client.request('post', '/auto-retry/resume', {
      body: { account },
    });
    return data!;
  }

  async listBusinessNumbers(): Promise<ConfiguredBusinessNumber[]> {
    const client = await this.http();
    const { data } = await client.request('get', '/business-numbers');
    return data!;
  }

  async getErrorCodes(): Promise<ErrorCodeInfo[]> {
    const client = await this.http();
    const { data } = await client.request('get', '/error-codes');
    return data!;
  }

  async listCampaigns(
    query: { q?: string; limit?: number } = {},
  ): Promise<string[]> {
    const client = await this.http();
    const { data } = await client.request('get', '/campaigns', {
      params: { query },
    });
    return data!.items;
  }

  async getStatistics(query: StatisticsQuery = {}): Promise<RetryStatistics> {
    const client = await this.http();
    const { data } = await client.request('get', '/statistics', {
      params: { query },
    });
    return data!;
  }

  private baseUrl(): Promise<string> {
    return this.discoveryApi.getBaseUrl('failed-messages');
  }

  /** Non-2xx answers reject with a ResponseError that carries the backend's message. */
  private async http(): Promise<FailedMessagesHttpClient> {
    return createFailedMessagesHttpClient({
      baseUrl: await this.baseUrl(),
      fetchApi: this.fetchApi,
    });
  }
}

import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  BulkRetry,
  BulkRetryPreview,
  ErrorCodeInfo,
  FailedMessageDetail,
  FailedMessageFilter,
  FailedMessagePage,
  FailedMessageSummary,
  RetryStatistics,
} from '@internal/plugin-failed-messages-common';
import {
  AutoRetryStatus,
  BulkRetryScope,
  FailedMessagesApi,
  ListMessagesRequest,
  RetryMessageOptions,
  RetryMessageResult,
  StatisticsQuery,
} from './FailedMessagesApi';

type QueryValue = string | number | readonly string[] | undefined;

/**
 * Builds a query string; arrays become repeated parameters
 * (`category=a&category=b`), which is what the backend's OpenAPI schema expects.
 */
function toQueryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') {
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach(item => params.append(key, item));
    } else {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function filterQuery(
  filter: FailedMessageFilter = {},
): Record<string, QueryValue> {
  return {
    age: filter.age,
    from: filter.from,
    to: filter.to,
    category: filter.category,
    errorCode: filter.errorCode,
    retryStatus: filter.retryStatus,
    campaign: filter.campaign,
    q: filter.q,
  };
}

/** Talks to the failed-messages backend through the app's discovery and fetch APIs. */
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
    return this.request(
      `/messages${toQueryString({
        ...filterQuery(filter),
        sort,
        order,
        limit,
        offset,
      })}`,
    );
  }

  async getSummary(
    filter?: FailedMessageFilter,
  ): Promise<FailedMessageSummary> {
    return this.request(`/summary${toQueryString(filterQuery(filter))}`);
  }

  async getMessage(id: string): Promise<FailedMessageDetail> {
    return this.request(`/messages/${encodeURIComponent(id)}`);
  }

  async exportUrl(filter?: FailedMessageFilter): Promise<string> {
    const baseUrl = await this.discoveryApi.getBaseUrl('failed-messages');
    return `${baseUrl}/export/messages.csv${toQueryString(
      filterQuery(filter),
    )}`;
  }

  async retryMessage(
    id: string,
    options: RetryMessageOptions = {},
  ): Promise<RetryMessageResult> {
    return this.request(`/messages/${encodeURIComponent(id)}/retry`, {
      method: 'POST',
      body: options,
    });
  }

  async previewBulkRetry(scope: BulkRetryScope): Promise<BulkRetryPreview> {
    return this.request('/bulk-retries', {
      method: 'POST',
      body: { ...scope, dryRun: true },
    });
  }

  async startBulkRetry(
    scope: BulkRetryScope,
    reason?: string,
  ): Promise<BulkRetry> {
    return this.request('/bulk-retries', {
      method: 'POST',
      body: { ...scope, reason },
    });
  }

  async getBulkRetry(id: string): Promise<BulkRetry> {
    return this.request(`/bulk-retries/${encodeURIComponent(id)}`);
  }

  async cancelBulkRetry(id: string): Promise<BulkRetry> {
    return this.request(`/bulk-retries/${encodeURIComponent(id)}/cancel`, {
      method: 'POST',
      body: {},
    });
  }

  async getAutoRetry(): Promise<AutoRetryStatus> {
    return this.request('/auto-retry');
  }

  async getErrorCodes(): Promise<ErrorCodeInfo[]> {
    return this.request('/error-codes');
  }

  async getStatistics(query: StatisticsQuery = {}): Promise<RetryStatistics> {
    return this.request(`/statistics${toQueryString({ ...query })}`);
  }

  private async request<T>(
    path: string,
    options: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('failed-messages');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method: options.method ?? 'GET',
      ...(options.body !== undefined && {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(options.body),
      }),
    });
    if (!response.ok) {
      // Carries the backend's error message (e.g. why a retry is not allowed) to the UI.
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

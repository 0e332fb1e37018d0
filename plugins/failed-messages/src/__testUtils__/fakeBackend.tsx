import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  BulkRetry,
  ConfiguredBusinessNumber,
  ErrorCodeInfo,
  FailedMessage,
  FailedMessageDetail,
} from '@msgops/plugin-failed-messages-common';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { useLocation } from 'react-router-dom';
import { FailedMessagesClient, failedMessagesApiRef } from '../api';
import { FailedMessagesContent } from '../components/FailedMessagesPage';
import {
  fakeMessage,
  fakeMessageDetail,
  metaErrorCodesUrl,
} from './fakeFailedMessagesApi';

export const baseUrl = 'http://localhost:7007/api/failed-messages';

export const rateLimited: FailedMessage = {
  ...fakeMessage,
  error: {
    ...fakeMessage.error,
    message: 'Cloud API message throughput has been reached.',
  },
  nextAutomaticRetryAt: '2030-01-02T06:00:00.000Z',
};

export const rateLimitedDetail: FailedMessageDetail = {
  ...fakeMessageDetail,
  ...rateLimited,
  payload: { to: '+4915112345678', type: 'template' },
  attempts: [
    {
      id: 'att-1',
      attemptNumber: 1,
      trigger: 'automatic',
      actor: null,
      startedAt: '2026-11-26T12:00:00.000Z',
      finishedAt: '2026-11-26T12:00:01.000Z',
      outcome: 'failed',
      error: {
        code: '130429',
        title: 'Rate limit hit',
        message: null,
        details: null,
      },
      providerMessageId: null,
      reason: null,
      forced: false,
      delivery: null,
      statuses: [],
    },
  ],
};

/** A bulk retry just started, before it has processed any message. */
export const runningBulkRetry: BulkRetry = {
  id: 'bulk-1',
  status: 'running',
  total: 1,
  processed: 0,
  succeeded: 0,
  failed: 0,
  skipped: 0,
  createdBy: 'user:default/alice',
  createdAt: '2026-11-27T10:00:00.000Z',
  finishedAt: null,
  reason: null,
  scope: { selected: 1 },
};

const errorCodes: ErrorCodeInfo[] = [
  {
    code: '130429',
    title: 'Rate limit hit',
    category: 'retryable',
    meaning: 'Too many messages.',
    action: 'Wait.',
    minWaitSeconds: 60,
    autoRetry: true,
    accountLevel: false,
    docsUrl: metaErrorCodesUrl,
    manualRetry: 'after-wait',
    rule: 'Only time.',
  },
  {
    code: '131026',
    title: 'Message undeliverable',
    category: 'non-retryable',
    meaning: 'The number cannot receive messages.',
    action: 'Check the number.',
    minWaitSeconds: 0,
    autoRetry: false,
    accountLevel: false,
    docsUrl: metaErrorCodesUrl,
    manualRetry: 'never',
    rule: 'The customer must be reachable on WhatsApp.',
  },
];

/**
 * A stand-in for the failed-messages backend over HTTP, for the tests of one
 * file: call it at the top of the file, and `serve` in each test.
 */
export function setUpFakeBackend() {
  const server = setupServer();
  registerMswTestHooks(server);
  /** Requests the fake backend saw since the last `serve`. */
  const requests: URL[] = [];

  function serve(
    options: {
      items?: FailedMessage[];
      totalCount?: number;
      businessNumbers?: ConfiguredBusinessNumber[];
      /** The recent bulk retries GET /bulk-retries lists. */
      bulkRetries?: BulkRetry[];
      /** The known campaigns GET /campaigns suggests from. */
      campaigns?: string[];
    } = {},
  ) {
    const items = options.items ?? [rateLimited];
    requests.length = 0;
    server.use(
      http.all(`${baseUrl}/*`, ({ request }) => {
        requests.push(new URL(request.url));
      }),
      http.get(`${baseUrl}/summary`, () =>
        HttpResponse.json({
          total: 42,
          retryable: 30,
          nonRetryable: 8,
          businessLogic: 4,
        }),
      ),
      http.get(`${baseUrl}/messages`, () =>
        HttpResponse.json({
          items,
          totalCount: options.totalCount ?? items.length,
        }),
      ),
      http.get(`${baseUrl}/messages/msg-1`, () =>
        HttpResponse.json(rateLimitedDetail),
      ),
      http.get(`${baseUrl}/error-codes`, () => HttpResponse.json(errorCodes)),
      http.get(`${baseUrl}/auto-retry`, () =>
        HttpResponse.json({
          enabled: true,
          schedule: { cron: '0 6 * * *' },
          timezone: 'UTC',
          maxAttempts: 3,
          nextRunAt: '2030-01-02T06:00:00.000Z',
          paused: [],
          lastRun: null,
          current: null,
          recentRuns: [],
        }),
      ),
      http.get(`${baseUrl}/business-numbers`, () =>
        HttpResponse.json(options.businessNumbers ?? []),
      ),
      http.get(`${baseUrl}/bulk-retries`, () =>
        HttpResponse.json({ items: options.bulkRetries ?? [] }),
      ),
      http.get(`${baseUrl}/campaigns`, ({ request }) => {
        const q = new URL(request.url).searchParams.get('q') ?? '';
        const known = options.campaigns ?? [];
        return HttpResponse.json({
          items: known.filter(name =>
            name.toLowerCase().includes(q.toLowerCase()),
          ),
        });
      }),
    );
  }

  function lastListRequest(): URL {
    const lists = requests.filter(url => url.pathname.endsWith('/messages'));
    return lists[lists.length - 1];
  }

  return { server, serve, requests, lastListRequest };
}

/** Shows the query string so that tests can check what the URL holds. */
function CurrentSearch() {
  return <output aria-label="Current search">{useLocation().search}</output>;
}

/** The page with a client of the fake backend, at `/failed-messages` plus `initialSearch`. */
export async function renderPage(
  initialSearch = '',
  permissionApi = mockApis.permission(),
  signalApi?: SignalApi,
) {
  const discoveryApi = mockApis.discovery({ baseUrl: 'http://localhost:7007' });
  const fetchApi = {
    fetch: (...args: Parameters<typeof fetch>) => fetch(...args),
  };
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
        [permissionApiRef, permissionApi],
        [
          failedMessagesApiRef,
          new FailedMessagesClient({ discoveryApi, fetchApi }),
        ],
        // Without it the page falls back to polling, as in apps without signals.
        ...(signalApi ? [[signalApiRef, signalApi] as const] : []),
      ]}
    >
      <FailedMessagesContent />
      <CurrentSearch />
    </TestApiProvider>,
    { routeEntries: [`/failed-messages${initialSearch}`] },
  );
}

import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  TestApiProvider,
  mockApis,
  mockBreakpoint,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  BulkRetry,
  ErrorCodeInfo,
  FAILED_MESSAGES_SIGNAL_CHANNEL,
  FailedMessage,
  FailedMessageDetail,
} from '@internal/plugin-failed-messages-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { useLocation } from 'react-router-dom';
import { FailedMessagesClient, failedMessagesApiRef } from '../../api';
import {
  fakeMessage,
  fakeMessageDetail,
} from '../../__testUtils__/fakeFailedMessagesApi';
import { createFakeSignalApi } from '../../__testUtils__/fakeSignalApi';
import { FailedMessagesContent } from './FailedMessagesPage';

const baseUrl = 'http://localhost:7007/api/failed-messages';
const server = setupServer();
registerMswTestHooks(server);

const rateLimited: FailedMessage = {
  ...fakeMessage,
  error: {
    ...fakeMessage.error,
    message: 'Cloud API message throughput has been reached.',
  },
  nextAutomaticRetryAt: '2030-01-02T06:00:00.000Z',
};

const rateLimitedDetail: FailedMessageDetail = {
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
    },
  ],
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
  },
];

/** Requests the fake backend saw, by path. */
let requests: URL[];

function serve(options: { items?: FailedMessage[]; totalCount?: number } = {}) {
  const items = options.items ?? [rateLimited];
  requests = [];
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
        maxAttempts: 3,
        nextRunAt: '2030-01-02T06:00:00.000Z',
        lastRun: null,
      }),
    ),
  );
}

function lastListRequest(): URL {
  const lists = requests.filter(url => url.pathname.endsWith('/messages'));
  return lists[lists.length - 1];
}

/** Shows the query string so that tests can check what the URL holds. */
function CurrentSearch() {
  return <output aria-label="Current search">{useLocation().search}</output>;
}

async function renderPage(
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

describe('FailedMessagesContent', () => {
  // Back to the wide layout after the small-screen test.
  afterEach(() => mockBreakpoint({ matches: false }));

  it('shows the counts and filters by a category card', async () => {
    serve();
    await renderPage();

    const summary = screen.getByRole('region', { name: 'Summary' });
    expect(await within(summary).findByText('42')).toBeInTheDocument();
    expect(within(summary).getByText('30')).toBeInTheDocument();
    expect(within(summary).getByText('8')).toBeInTheDocument();
    expect(within(summary).getByText('4')).toBeInTheDocument();

    await userEvent.click(
      within(summary).getByRole('button', { name: 'Retryable: 30' }),
    );

    await waitFor(() =>
      expect(lastListRequest().searchParams.getAll('category')).toEqual([
        'retryable',
      ]),
    );
    expect(screen.getByLabelText('Current search')).toHaveTextContent(
      'category=retryable',
    );
    // The cards ignore the category filter, so picking one does not ask for them again.
    expect(
      requests.filter(url => url.pathname.endsWith('/summary')),
    ).toHaveLength(1);
  });

  it('lists the messages of the filters in the URL', async () => {
    serve();
    await renderPage('?age=7d&category=retryable&category=business-logic');

    expect(await screen.findByText('+4915112345678')).toBeInTheDocument();
    expect(screen.getByText('1/3 auto, 0 manual')).toBeInTheDocument();
    const query = lastListRequest().searchParams;
    expect(query.get('age')).toBe('7d');
    expect(query.getAll('category')).toEqual(['retryable', 'business-logic']);
    expect(query.get('sort')).toBe('failedAt');
    expect(query.get('order')).toBe('desc');
    expect(query.get('offset')).toBe('0');
  });

  it('sends filter changes with the list request', async () => {
    serve();
    await renderPage();
    await screen.findByText('+4915112345678');

    await userEvent.click(screen.getByRole('button', { name: /Error type/ }));
    await userEvent.click(
      await screen.findByRole('option', {
        name: '131026 — Message undeliverable',
      }),
    );
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(lastListRequest().searchParams.getAll('errorCode')).toEqual([
        '131026',
      ]),
    );

    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Campaign' }),
      'black-friday',
    );
    await waitFor(() =>
      expect(lastListRequest().searchParams.get('campaign')).toBe(
        'black-friday',
      ),
    );
    expect(screen.getByLabelText('Current search')).toHaveTextContent(
      'errorCode=131026&campaign=black-friday',
    );
  });

  describe('next automatic retry', () => {
    const waitPassed: FailedMessage = {
      ...rateLimited,
      id: 'msg-2',
      recipient: '+4915100000002',
      nextAutomaticRetryAt: '2020-01-01T06:00:00.000Z',
    };
    const waitEndsAfterNextRun: FailedMessage = {
      ...rateLimited,
      id: 'msg-3',
      recipient: '+4915100000003',
      nextAutomaticRetryAt: '2031-03-01T06:00:00.000Z',
    };
    const notAutomatic: FailedMessage = {
      ...rateLimited,
      id: 'msg-4',
      recipient: '+4915100000004',
      category: 'non-retryable',
      nextAutomaticRetryAt: null,
    };
    const items = [waitPassed, waitEndsAfterNextRun, notAutomatic];
    // The next run of the fake backend, 2 Jan 2030 06:00 UTC, in local time.
    const nextRun = /^next run \(Jan [12], \d{1,2}:00 [AP]M\)$/;

    async function nextRetryCells() {
      const table = await screen.findByRole('table', {
        name: 'Failed messages',
      });
      await within(table).findByText('+4915100000002');
      const column = within(table)
        .getAllByRole('columnheader')
        .findIndex(header => header.textContent === 'Next automatic retry');
      return Object.fromEntries(
        within(table)
          .getAllByRole('row')
          .slice(1)
          .map(row => [
            row.getAttribute('aria-label'),
            within(row).getAllByRole('cell')[column].textContent,
          ]),
      );
    }

    it('is the next run for a message whose wait has passed, not a time in the past', async () => {
      serve({ items });
      await renderPage();
      await screen.findByText(/^Next automatic retry run:/);

      const cells = await nextRetryCells();
      expect(cells['Details of the message to +4915100000002']).toMatch(
        nextRun,
      );
      expect(cells['Details of the message to +4915100000003']).toMatch(
        /^in \d+ years?$/,
      );
      expect(cells['Details of the message to +4915100000004']).toBe('None');
    });

    it('is None for every message while the automatic retry is off', async () => {
      serve({ items });
      server.use(
        http.get(`${baseUrl}/auto-retry`, () =>
          HttpResponse.json({
            enabled: false,
            schedule: { cron: '0 6 * * *' },
            maxAttempts: 3,
            nextRunAt: null,
            lastRun: null,
          }),
        ),
      );
      await renderPage();

      // Until the page knows the run is off, it shows the messages' own times.
      await waitFor(async () =>
        expect(Object.values(await nextRetryCells())).toEqual([
          'None',
          'None',
          'None',
        ]),
      );
    });

    it('is on the cards on small screens', async () => {
      mockBreakpoint({ matches: true });
      serve({ items });
      await renderPage();
      await screen.findByText(/^Next automatic retry run:/);

      const list = await screen.findByRole('region', { name: 'Message list' });
      const card = within(list).getByRole('button', {
        name: 'Details of the message to +4915100000002',
      });
      expect(
        within(card).getByText(/^Next automatic retry:/),
      ).toHaveTextContent(/^Next automatic retry: next run \(Jan [12], /);
    });
  });

  it('requests the next page by offset', async () => {
    serve({ totalCount: 60 });
    await renderPage();
    await screen.findByText('+4915112345678');

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));

    await waitFor(() =>
      expect(lastListRequest().searchParams.get('offset')).toBe('25'),
    );
    expect(lastListRequest().searchParams.get('limit')).toBe('25');
  });

  it('says when no message matches and resets the filters', async () => {
    serve({ items: [] });
    await renderPage('?category=non-retryable');

    expect(
      await screen.findByText('No failed messages match these filters'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Reset filters' }),
    );

    await waitFor(() =>
      expect(screen.getByLabelText('Current search')).toBeEmptyDOMElement(),
    );
  });

  it("shows the backend's error and loads again on Retry", async () => {
    serve();
    let backendFails = true;
    server.use(
      http.get(`${baseUrl}/messages`, () =>
        backendFails
          ? HttpResponse.json(
              {
                error: { name: 'InputError', message: 'Invalid age filter' },
                response: { statusCode: 400 },
              },
              { status: 400 },
            )
          : undefined,
      ),
    );
    await renderPage();

    expect(await screen.findByText(/Invalid age filter/)).toBeInTheDocument();
    backendFails = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('+4915112345678')).toBeInTheDocument();
  });

  it('opens the details of a message', async () => {
    serve();
    await renderPage();

    await userEvent.click(
      await screen.findByRole('row', {
        name: /Details of the message to \+4915112345678/,
      }),
    );

    expect(
      await screen.findByText(rateLimitedDetail.explanation.meaning),
    ).toBeInTheDocument();
    expect(
      screen.getByText(rateLimitedDetail.explanation.action),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/The next automatic run retries it, on/),
    ).toBeInTheDocument();
    const timeline = screen.getByRole('list', { name: 'Retry attempts' });
    expect(
      within(timeline).getByText(/Attempt 1 · Automatic · Failed/),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Current search')).toHaveTextContent(
      'message=msg-1',
    );
  });

  it('retries a business-logic failure after confirmation with force', async () => {
    serve();
    let retryBody: unknown;
    server.use(
      http.get(`${baseUrl}/messages/msg-1`, () =>
        HttpResponse.json({
          ...rateLimitedDetail,
          category: 'business-logic',
        }),
      ),
      http.post(`${baseUrl}/messages/msg-1/retry`, async ({ request }) => {
        retryBody = await request.json();
        return HttpResponse.json({
          message: rateLimited,
          attempt: rateLimitedDetail.attempts[0],
        });
      }),
    );
    await renderPage('?message=msg-1');

    await userEvent.click(
      await screen.findByRole('button', { name: 'Retry now' }),
    );
    expect(retryBody).toBeUndefined();
    const confirmation = screen.getByRole('dialog', {
      name: 'Retry despite the business rule?',
    });
    await userEvent.type(
      within(confirmation).getByRole('textbox', { name: 'Reason' }),
      'daily limit raised',
    );
    await userEvent.click(
      within(confirmation).getByRole('button', { name: 'Retry anyway' }),
    );

    await waitFor(() =>
      expect(retryBody).toEqual({ force: true, reason: 'daily limit raised' }),
    );
  });

  it('retries a message with an optional reason and shows the new attempt', async () => {
    serve();
    const retryBodies: unknown[] = [];
    const newAttempt = {
      ...rateLimitedDetail.attempts[0],
      id: 'att-2',
      attemptNumber: 2,
      trigger: 'manual' as const,
      actor: 'user:default/alice',
      outcome: 'succeeded' as const,
      error: null,
    };
    server.use(
      http.get(`${baseUrl}/messages/msg-1`, () =>
        HttpResponse.json({
          ...rateLimitedDetail,
          attempts:
            retryBodies.length > 0
              ? [...rateLimitedDetail.attempts, newAttempt]
              : rateLimitedDetail.attempts,
        }),
      ),
      http.post(`${baseUrl}/messages/msg-1/retry`, async ({ request }) => {
        retryBodies.push(await request.json());
        return HttpResponse.json({ message: rateLimited, attempt: newAttempt });
      }),
    );
    await renderPage('?message=msg-1');

    await userEvent.type(
      await screen.findByRole('textbox', { name: 'Reason' }),
      '  customer asked again ',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Retry now' }));

    const timeline = await screen.findByRole('list', {
      name: 'Retry attempts',
    });
    expect(
      await within(timeline).findByText(/Attempt 2 · Manual · Succeeded/),
    ).toBeInTheDocument();
    expect(retryBodies).toEqual([
      { force: false, reason: 'customer asked again' },
    ]);
    expect(screen.getByRole('textbox', { name: 'Reason' })).toHaveValue('');
  });

  it('keeps the summary cards to count and label on small screens', async () => {
    mockBreakpoint({ matches: true });
    serve();
    await renderPage('?category=non-retryable');

    const summary = screen.getByRole('region', { name: 'Summary' });
    const card = await within(summary).findByRole('button', {
      name: 'Non-Retryable: 8',
    });
    expect(card).toHaveAttribute('aria-pressed', 'true');
    expect(card).toHaveTextContent(/^8Non-Retryable$/);
    expect(
      within(summary).getByRole('button', { name: 'Retryable: 30' }),
    ).toHaveTextContent(/^30Retryable$/);
  });

  it('explains each summary card on wide screens', async () => {
    serve();
    await renderPage();

    const summary = screen.getByRole('region', { name: 'Summary' });
    expect(
      await within(summary).findByRole('button', { name: 'Retryable: 30' }),
    ).toHaveTextContent(/^30RetryableTemporary issue: can be sent again$/);
  });

  it('shows one card per message on small screens', async () => {
    mockBreakpoint({ matches: true });
    serve();
    await renderPage();

    const list = await screen.findByRole('region', { name: 'Message list' });
    await userEvent.click(
      await within(list).findByRole('button', {
        name: 'Details of the message to +4915112345678',
      }),
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(
      await screen.findByText(rateLimitedDetail.explanation.meaning),
    ).toBeInTheDocument();
  });

  it('folds the filters into a drawer on small screens', async () => {
    mockBreakpoint({ matches: true });
    serve();
    await renderPage('?category=retryable&campaign=black-friday');
    await screen.findByText('+4915112345678');

    expect(
      screen.queryByRole('region', { name: 'Filters' }),
    ).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Filters (2)' }));
    const drawer = await screen.findByRole('dialog', { name: 'Filters' });
    await userEvent.click(
      within(drawer).getByRole('button', { name: /Retry status/ }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'Retry failed' }),
    );
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(lastListRequest().searchParams.getAll('retryStatus')).toEqual([
        'retry-failed',
      ]),
    );
    await userEvent.click(within(drawer).getByRole('button', { name: 'Done' }));

    expect(
      await screen.findByRole('button', { name: 'Filters (3)' }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Filters' }),
      ).not.toBeInTheDocument(),
    );
  });

  it('sorts the cards on small screens like the column headers', async () => {
    mockBreakpoint({ matches: true });
    serve();
    await renderPage();
    await screen.findByText('+4915112345678');

    await userEvent.click(screen.getByRole('button', { name: /Sort by/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Attempts' }),
    );
    await waitFor(() =>
      expect(lastListRequest().searchParams.get('sort')).toBe('attempts'),
    );
    await userEvent.click(screen.getByRole('button', { name: /Order/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Ascending' }),
    );

    await waitFor(() =>
      expect(lastListRequest().searchParams.get('order')).toBe('asc'),
    );
    expect(lastListRequest().searchParams.get('sort')).toBe('attempts');
    expect(screen.getByLabelText('Current search')).toHaveTextContent(
      'sort=attempts&order=asc',
    );
  });

  it('sorts on the server by a column header', async () => {
    serve();
    await renderPage();
    await screen.findByText('+4915112345678');

    await userEvent.click(screen.getByRole('button', { name: 'Attempts' }));

    await waitFor(() =>
      expect(lastListRequest().searchParams.get('sort')).toBe('attempts'),
    );
    expect(lastListRequest().searchParams.get('order')).toBe('asc');
    expect(screen.getByLabelText('Current search')).toHaveTextContent(
      'sort=attempts&order=asc',
    );
  });

  it('exports every message of the current filter as CSV', async () => {
    serve();
    let exportQuery: URLSearchParams | undefined;
    server.use(
      http.get(`${baseUrl}/export/messages.csv`, ({ request }) => {
        exportQuery = new URL(request.url).searchParams;
        return new HttpResponse('id,recipient\n', {
          headers: { 'Content-Type': 'text/csv' },
        });
      }),
    );
    // jsdom has no object URLs; the download itself is the browser's job.
    URL.createObjectURL = jest.fn(() => 'blob:failed-messages');
    URL.revokeObjectURL = jest.fn();
    await renderPage('?age=30d&category=retryable');
    await screen.findByText('+4915112345678');

    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));

    await waitFor(() => expect(URL.createObjectURL).toHaveBeenCalled());
    expect(exportQuery?.get('age')).toBe('30d');
    expect(exportQuery?.getAll('category')).toEqual(['retryable']);
    expect(exportQuery?.has('limit')).toBe(false);
  });

  it('keeps the Statistics tab in the URL', async () => {
    serve();
    server.use(
      http.get(`${baseUrl}/statistics`, () =>
        HttpResponse.json(
          {
            error: { name: 'Error', message: 'Statistics are resting' },
            response: { statusCode: 500 },
          },
          { status: 500 },
        ),
      ),
    );
    await renderPage('?tab=statistics');

    expect(
      await screen.findByRole('tab', { name: 'Statistics', selected: true }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Summary' }),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: 'Messages' }));
    expect(
      await screen.findByRole('region', { name: 'Summary' }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Current search')).toBeEmptyDOMElement();

    await userEvent.click(screen.getByRole('tab', { name: 'Statistics' }));
    expect(screen.getByLabelText('Current search')).toHaveTextContent(
      'tab=statistics',
    );
  });
});

describe('FailedMessagesContent bulk retry', () => {
  const otherMessage: FailedMessage = {
    ...rateLimited,
    id: 'msg-2',
    externalId: 'wamid.2',
    recipient: '+4915187654321',
  };
  const running: BulkRetry = {
    id: 'bulk-1',
    status: 'running',
    total: 5,
    processed: 0,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    createdBy: 'user:default/alice',
    createdAt: '2026-11-27T10:00:00.000Z',
    finishedAt: null,
    reason: null,
  };

  /** The toolbar appears once the permission is known. */
  function findBulkRetryToolbar() {
    return screen.findByRole('toolbar', { name: 'Bulk retry' });
  }

  /** Serves a bulk retry: the preview, the start, then one GET answer after another. */
  function serveBulkRetry(progress: BulkRetry[]) {
    const bodies: any[] = [];
    let cancelled = false;
    server.use(
      http.post(`${baseUrl}/bulk-retries`, async ({ request }) => {
        const body = (await request.json()) as any;
        bodies.push(body);
        if (body.dryRun) {
          return HttpResponse.json({
            matched: 7,
            eligible: 5,
            skipped: [
              {
                reason: 'The recipient opted out of marketing messages.',
                count: 1,
              },
              {
                reason: 'Already being retried.',
                count: 1,
              },
            ],
          });
        }
        return HttpResponse.json(running, { status: 202 });
      }),
      http.get(`${baseUrl}/bulk-retries/bulk-1`, () =>
        HttpResponse.json(progress.length > 1 ? progress.shift() : progress[0]),
      ),
      http.post(`${baseUrl}/bulk-retries/bulk-1/cancel`, () => {
        cancelled = true;
        return HttpResponse.json({
          ...running,
          status: 'cancelled',
          processed: 2,
          succeeded: 2,
        });
      }),
    );
    return { bodies, wasCancelled: () => cancelled };
  }

  it('previews, runs and summarises a retry of the selected messages', async () => {
    serve({ items: [rateLimited, otherMessage] });
    const backend = serveBulkRetry([
      { ...running, processed: 3, succeeded: 2, failed: 1 },
      {
        ...running,
        status: 'completed',
        processed: 5,
        succeeded: 3,
        failed: 1,
        skipped: 1,
        finishedAt: '2026-11-27T10:00:05.000Z',
      },
    ]);
    await renderPage();
    await screen.findByText('+4915112345678');
    await findBulkRetryToolbar();
    expect(
      screen.getByRole('button', { name: 'Retry selected (0)' }),
    ).toBeDisabled();

    await userEvent.click(
      screen.getByRole('checkbox', {
        name: 'Select message to +4915112345678',
      }),
    );
    await userEvent.click(
      screen.getByRole('checkbox', {
        name: 'Select message to +4915187654321',
      }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Retry selected (2)' }),
    );

    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText('7 matched, 5 will be retried'),
    ).toBeInTheDocument();
    const skipped = within(dialog).getByRole('list', {
      name: 'Skipped messages by reason',
    });
    expect(
      within(skipped)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      '1 message — The recipient opted out of marketing messages.',
      '1 message — Already being retried.',
    ]);
    expect(backend.bodies).toEqual([{ ids: ['msg-1', 'msg-2'], dryRun: true }]);

    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Reason' }),
      'provider outage',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Retry 5 messages' }),
    );
    await waitFor(() =>
      expect(backend.bodies[1]).toEqual({
        ids: ['msg-1', 'msg-2'],
        reason: 'provider outage',
      }),
    );

    expect(
      await within(dialog).findByText(
        '3 of 5 processed: 2 sent, 1 failed, 0 skipped',
        undefined,
        { timeout: 3000 },
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('progressbar', { name: 'Bulk retry progress' }),
    ).toHaveAttribute('aria-valuenow', '60');
    expect(
      await within(dialog).findByText(
        'Done: 3 sent, 1 failed, 1 skipped',
        undefined,
        { timeout: 3000 },
      ),
    ).toBeInTheDocument();

    const listRequests = requests.filter(url =>
      url.pathname.endsWith('/messages'),
    ).length;
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(
        requests.filter(url => url.pathname.endsWith('/messages')).length,
      ).toBeGreaterThan(listRequests),
    );
    expect(
      screen.getByRole('button', { name: 'Retry selected (0)' }),
    ).toBeInTheDocument();
  }, 15000);

  it('retries all messages of the current filter', async () => {
    serve({ totalCount: 60 });
    const backend = serveBulkRetry([running]);
    await renderPage('?category=retryable');
    await findBulkRetryToolbar();

    await userEvent.click(
      screen.getByRole('button', { name: 'Retry all matching (60)' }),
    );

    await screen.findByText('7 matched, 5 will be retried');
    expect(backend.bodies).toEqual([
      { filter: { category: ['retryable'] }, dryRun: true },
    ]);
  });

  it('stops a running bulk retry', async () => {
    serve();
    const backend = serveBulkRetry([running]);
    await renderPage();
    await findBulkRetryToolbar();

    await userEvent.click(
      screen.getByRole('button', { name: 'Retry all matching (1)' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      await within(dialog).findByRole('button', { name: 'Retry 5 messages' }),
    );
    await userEvent.click(
      await within(dialog).findByRole('button', { name: 'Stop' }),
    );

    expect(
      await within(dialog).findByText(
        'Stopped after 2 of 5 (2 sent, 0 failed, 0 skipped)',
      ),
    ).toBeInTheDocument();
    expect(backend.wasCancelled()).toBe(true);
  });

  it("shows the backend's reason when the preview is refused", async () => {
    serve();
    server.use(
      http.post(`${baseUrl}/bulk-retries`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Missing permission failed-messages.message.bulk-retry',
            },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await renderPage();
    await findBulkRetryToolbar();

    await userEvent.click(
      screen.getByRole('button', { name: 'Retry all matching (1)' }),
    );

    expect(
      await screen.findByText(
        /Missing permission failed-messages.message.bulk-retry/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Retry 0 messages' }),
    ).toBeDisabled();
  });

  it('clears the selection when the filters change', async () => {
    serve({ items: [rateLimited, otherMessage] });
    await renderPage();
    await findBulkRetryToolbar();

    await userEvent.click(
      screen.getByRole('checkbox', {
        name: 'Select all messages on this page',
      }),
    );
    expect(
      screen.getByRole('button', { name: 'Retry selected (2)' }),
    ).toBeEnabled();

    await userEvent.click(
      screen.getByRole('button', { name: 'Retryable: 30' }),
    );

    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Retry selected (0)' }),
      ).toBeDisabled(),
    );
  });

  it('selects a message from its card on small screens', async () => {
    mockBreakpoint({ matches: true });
    serve();
    await renderPage();

    await userEvent.click(
      await screen.findByRole('checkbox', {
        name: 'Select message to +4915112345678',
      }),
    );
    expect(
      screen.getByRole('button', { name: 'Retry selected (1)' }),
    ).toBeEnabled();
    mockBreakpoint({ matches: false });
  });
});

describe('FailedMessagesContent custom age range', () => {
  /** The instant a `datetime-local` input means, in the browser's time zone. */
  function localTime(...parts: [number, number, number, number, number]) {
    const [year, month, day, hour, minute] = parts;
    return new Date(year, month - 1, day, hour, minute).getTime();
  }

  it('sends the chosen From and To instead of the age', async () => {
    serve();
    await renderPage('?age=7d');
    await screen.findByText('+4915112345678');

    await userEvent.click(screen.getByRole('button', { name: /Age/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Custom range' }),
    );
    await userEvent.type(screen.getByLabelText('From'), '2026-11-01T08:00');
    await userEvent.type(screen.getByLabelText('To'), '2026-11-20T18:30');

    await waitFor(() =>
      expect(lastListRequest().searchParams.has('to')).toBe(true),
    );
    const query = lastListRequest().searchParams;
    expect(query.has('age')).toBe(false);
    expect(new Date(query.get('from')!).getTime()).toBe(
      localTime(2026, 11, 1, 8, 0),
    );
    expect(new Date(query.get('to')!).getTime()).toBe(
      localTime(2026, 11, 20, 18, 30),
    );
    const search = new URLSearchParams(
      screen.getByLabelText('Current search').textContent!,
    );
    expect(search.get('age')).toBe('custom');
    expect(search.get('from')).toBe(query.get('from'));
    expect(search.get('to')).toBe(query.get('to'));
  });

  it('shows a From later than To as an error and does not send it', async () => {
    serve();
    await renderPage('?age=custom&to=2026-11-20T18:30:00.000Z');
    await screen.findByText('+4915112345678');

    await userEvent.type(screen.getByLabelText('From'), '2026-12-01T08:00');

    expect(
      await screen.findByText('From must not be later than To'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('From')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    // Longer than the pause after which a valid range would be sent.
    await new Promise(resolve => setTimeout(resolve, 800));
    expect(requests.some(url => url.searchParams.has('from'))).toBe(false);
    expect(screen.getByLabelText('Current search')).not.toHaveTextContent(
      'from=',
    );
  });

  it('passes the range to the counts, the CSV export and Retry all matching', async () => {
    serve({ totalCount: 60 });
    const from = '2026-11-01T00:00:00.000Z';
    const to = '2026-11-20T00:00:00.000Z';
    let exportQuery: URLSearchParams | undefined;
    let previewBody: any;
    server.use(
      http.get(`${baseUrl}/export/messages.csv`, ({ request }) => {
        exportQuery = new URL(request.url).searchParams;
        return new HttpResponse('id\n', {
          headers: { 'Content-Type': 'text/csv' },
        });
      }),
      http.post(`${baseUrl}/bulk-retries`, async ({ request }) => {
        previewBody = await request.json();
        return HttpResponse.json({ matched: 60, eligible: 60, skipped: [] });
      }),
    );
    URL.createObjectURL = jest.fn(() => 'blob:failed-messages');
    URL.revokeObjectURL = jest.fn();
    await renderPage(`?age=custom&from=${from}&to=${to}`);
    await screen.findByText('+4915112345678');

    const summaryQuery = requests.find(url =>
      url.pathname.endsWith('/summary'),
    )!.searchParams;
    expect(summaryQuery.get('from')).toBe(from);
    expect(summaryQuery.get('to')).toBe(to);

    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(exportQuery?.get('from')).toBe(from));
    expect(exportQuery?.get('to')).toBe(to);
    expect(exportQuery?.has('age')).toBe(false);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Retry all matching (60)' }),
    );
    await screen.findByText('60 matched, 60 will be retried');
    expect(previewBody).toEqual({ filter: { from, to }, dryRun: true });
  });

  it('clears the range on Reset', async () => {
    serve();
    await renderPage(
      '?age=custom&from=2026-11-01T00:00:00.000Z&to=2026-11-20T00:00:00.000Z',
    );
    await screen.findByText('+4915112345678');
    expect(screen.getByLabelText('From')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Reset' }));

    await waitFor(() =>
      expect(screen.getByLabelText('Current search')).toBeEmptyDOMElement(),
    );
    expect(screen.queryByLabelText('From')).not.toBeInTheDocument();
    expect(lastListRequest().searchParams.has('from')).toBe(false);
  });
});

describe('FailedMessagesContent live updates', () => {
  function countRequests(path: string) {
    return requests.filter(url => url.pathname.endsWith(path)).length;
  }

  it('refreshes the list, the counts and the open details on a signal, keeping page and selection', async () => {
    serve({ totalCount: 60 });
    const signals = createFakeSignalApi();
    await renderPage('?page=1', undefined, signals.signalApi);
    await userEvent.click(
      await screen.findByRole('checkbox', {
        name: 'Select message to +4915112345678',
      }),
    );
    await userEvent.click(
      screen.getByRole('row', {
        name: /Details of the message to \+4915112345678/,
      }),
    );
    expect(
      await screen.findByText(rateLimitedDetail.explanation.meaning),
    ).toBeInTheDocument();
    const before = {
      list: countRequests('/messages'),
      summary: countRequests('/summary'),
      details: countRequests('/messages/msg-1'),
    };

    signals.publish(FAILED_MESSAGES_SIGNAL_CHANNEL, {
      type: 'messages-changed',
    });

    await waitFor(
      () => expect(countRequests('/messages')).toBe(before.list + 1),
      { timeout: 8000 },
    );
    await waitFor(() =>
      expect(countRequests('/summary')).toBe(before.summary + 1),
    );
    await waitFor(() =>
      expect(countRequests('/messages/msg-1')).toBe(before.details + 1),
    );
    expect(lastListRequest().searchParams.get('offset')).toBe('25');
    expect(
      screen.getByText(rateLimitedDetail.explanation.meaning),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Close details' }),
    );
    expect(
      await screen.findByRole('button', { name: 'Retry selected (1)' }),
    ).toBeEnabled();
  }, 20_000);

  it('refreshes the list on a signal without a progress bar, but shows one for another page', async () => {
    serve({ totalCount: 60 });
    // The list answers only when the test lets it, so that progress would show.
    let listRequestsHeld = 0;
    let held: Promise<void> | undefined;
    let release = () => {};
    const holdListRequests = () => {
      held = new Promise(resolve => {
        release = resolve;
      });
    };
    server.use(
      http.get(`${baseUrl}/messages`, async () => {
        listRequestsHeld += 1;
        await held;
        return undefined;
      }),
    );
    const signals = createFakeSignalApi();
    await renderPage('', undefined, signals.signalApi);
    const list = await screen.findByRole('region', { name: 'Message list' });
    await within(list).findByText('+4915112345678');

    holdListRequests();
    const before = listRequestsHeld;
    signals.publish(FAILED_MESSAGES_SIGNAL_CHANNEL, {
      type: 'messages-changed',
    });
    await waitFor(() => expect(listRequestsHeld).toBe(before + 1), {
      timeout: 8000,
    });
    // Progress bars appear after a short delay; wait past it.
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(within(list).queryByRole('progressbar')).not.toBeInTheDocument();
    expect(within(list).getByText('+4915112345678')).toBeInTheDocument();
    release();

    holdListRequests();
    await userEvent.click(
      within(list).getByRole('button', { name: 'Next page' }),
    );
    expect(
      await within(list).findByRole('progressbar', { name: 'Loading' }),
    ).toBeInTheDocument();
    release();
    await waitFor(() =>
      expect(within(list).queryByRole('progressbar')).not.toBeInTheDocument(),
    );
  }, 20_000);

  it('follows a bulk retry by its signals', async () => {
    serve();
    const signals = createFakeSignalApi();
    const running: BulkRetry = {
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
    };
    let finished = false;
    server.use(
      http.post(`${baseUrl}/bulk-retries`, async ({ request }) => {
        const body = (await request.json()) as { dryRun?: boolean };
        return body.dryRun
          ? HttpResponse.json({ matched: 1, eligible: 1, skipped: [] })
          : HttpResponse.json(running, { status: 202 });
      }),
      http.get(`${baseUrl}/bulk-retries/bulk-1`, () =>
        HttpResponse.json(
          finished
            ? { ...running, status: 'completed', processed: 1, succeeded: 1 }
            : running,
        ),
      ),
    );
    await renderPage('', undefined, signals.signalApi);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Retry all matching (1)' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      await within(dialog).findByRole('button', { name: 'Retry 1 message' }),
    );
    await within(dialog).findByRole('button', { name: 'Stop' });

    finished = true;
    signals.publish(FAILED_MESSAGES_SIGNAL_CHANNEL, {
      type: 'bulk-retry',
      bulkRetryId: 'bulk-1',
      status: 'completed',
    });

    // Well before the safety poll that runs beside signals.
    expect(
      await within(dialog).findByText(
        'Done: 1 sent, 0 failed, 0 skipped',
        undefined,
        { timeout: 3000 },
      ),
    ).toBeInTheDocument();
  });
});

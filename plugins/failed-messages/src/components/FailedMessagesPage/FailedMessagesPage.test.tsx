import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  mockBreakpoint,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  ErrorCodeInfo,
  FailedMessage,
  FailedMessageDetail,
} from '@internal/plugin-failed-messages-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { useLocation } from 'react-router-dom';
import { FailedMessagesClient, failedMessagesApiRef } from '../../api';
import { FailedMessagesContent } from './FailedMessagesPage';

const baseUrl = 'http://localhost:7007/api/failed-messages';
const server = setupServer();
registerMswTestHooks(server);

const rateLimited: FailedMessage = {
  id: 'msg-1',
  channel: 'whatsapp',
  externalId: 'wamid.1',
  recipient: '+4915112345678',
  campaign: 'black-friday',
  templateName: 'offer',
  error: {
    code: '130429',
    title: 'Rate limit hit',
    message: 'Cloud API message throughput has been reached.',
    details: null,
  },
  category: 'retryable',
  retryStatus: 'retry-failed',
  automaticAttempts: 1,
  manualAttempts: 0,
  nextAutomaticRetryAt: '2030-01-02T06:00:00.000Z',
  failedAt: '2026-11-26T10:00:00.000Z',
  lastAttemptAt: '2026-11-26T12:00:00.000Z',
  resolvedAt: null,
};

const rateLimitedDetail: FailedMessageDetail = {
  ...rateLimited,
  explanation: {
    meaning: 'WhatsApp was sending too many messages for this number.',
    action: 'Wait; the automatic retry sends it again.',
  },
  eligibility: { canRetry: true, reason: null, earliestAt: null },
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

async function renderPage(initialSearch = '') {
  const discoveryApi = mockApis.discovery({ baseUrl: 'http://localhost:7007' });
  const fetchApi = {
    fetch: (...args: Parameters<typeof fetch>) => fetch(...args),
  };
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
        [permissionApiRef, mockApis.permission()],
        [
          failedMessagesApiRef,
          new FailedMessagesClient({ discoveryApi, fetchApi }),
        ],
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
    expect(screen.getByText(/Next automatic retry on/)).toBeInTheDocument();
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
    await userEvent.click(screen.getByRole('button', { name: 'Retry anyway' }));

    await waitFor(() => expect(retryBody).toEqual({ force: true }));
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
});

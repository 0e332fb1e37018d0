import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { RetryStatistics } from '@msgops/plugin-failed-messages-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { FailedMessagesClient, failedMessagesApiRef } from '../../api';
import { metaErrorCodesUrl } from '../../__testUtils__/fakeFailedMessagesApi';
import { FailedMessagesContent } from '../FailedMessagesPage';

const baseUrl = 'http://localhost:7007/api/failed-messages';
const server = setupServer();
registerMswTestHooks(server);

const counts = (total: number, succeeded: number) => ({
  total,
  succeeded,
  failed: total - succeeded,
});

const statistics: RetryStatistics = {
  from: '2026-10-28T00:00:00.000Z',
  to: '2026-11-27T00:00:00.000Z',
  bucket: 'day',
  retrySuccessRate: 0.5,
  retries: counts(40, 20),
  byTrigger: {
    automatic: counts(30, 18),
    manual: counts(6, 1),
    bulk: counts(4, 1),
    scaffolder: counts(0, 0),
    action: counts(0, 0),
  },
  byErrorCode: [
    {
      code: '131026',
      title: 'Message undeliverable',
      docsUrl: metaErrorCodesUrl,
      failures: 5,
      retries: 0,
      succeeded: 0,
      successRate: null,
    },
    {
      code: '130429',
      title: 'Rate limit hit',
      docsUrl: metaErrorCodesUrl,
      failures: 25,
      retries: 30,
      succeeded: 24,
      successRate: 0.8,
    },
    {
      code: 'network-error',
      title: 'Could not reach WhatsApp',
      docsUrl: null,
      failures: 1,
      retries: 1,
      succeeded: 1,
      successRate: 1,
    },
  ],
  byAttemptNumber: [],
  trend: [
    {
      bucketStart: '2026-11-25T00:00:00.000Z',
      failures: { retryable: 10, nonRetryable: 2, businessLogic: 1 },
      retries: 15,
      succeeded: 7,
      delivery: {
        sent: 600,
        delivered: 580,
        failed: 15,
        failureRate: 0.025,
        deliveryRate: 0.967,
      },
    },
    {
      bucketStart: '2026-11-26T00:00:00.000Z',
      failures: { retryable: 15, nonRetryable: 3, businessLogic: 0 },
      retries: 25,
      succeeded: 13,
      delivery: {
        sent: 400,
        delivered: 370,
        failed: 25,
        failureRate: 0.063,
        deliveryRate: 0.925,
      },
    },
  ],
  medianSecondsToRecovery: 12000,
  delivery: {
    sent: 1000,
    delivered: 950,
    read: 700,
    failed: 40,
    failureRate: 0.04,
    deliveryRate: 0.95,
  },
  byCampaign: [],
  byNumber: [],
};

let statisticsRequests: URL[];

function serve(body: RetryStatistics | { error: object } = statistics) {
  statisticsRequests = [];
  server.use(
    http.get(`${baseUrl}/summary`, () =>
      HttpResponse.json({
        total: 0,
        retryable: 0,
        nonRetryable: 0,
        businessLogic: 0,
      }),
    ),
    http.get(`${baseUrl}/messages`, () =>
      HttpResponse.json({ items: [], totalCount: 0 }),
    ),
    http.get(`${baseUrl}/error-codes`, () => HttpResponse.json([])),
    http.get(`${baseUrl}/auto-retry`, () =>
      HttpResponse.json({
        enabled: false,
        schedule: null,
        maxAttempts: 3,
        nextRunAt: null,
        lastRun: null,
      }),
    ),
    http.get(`${baseUrl}/statistics`, ({ request }) => {
      statisticsRequests.push(new URL(request.url));
      if ('error' in body) {
        return HttpResponse.json(body, { status: 500 });
      }
      return HttpResponse.json(body);
    }),
  );
}

function lastStatisticsRequest(): URL {
  return statisticsRequests[statisticsRequests.length - 1];
}

async function openStatistics() {
  const discoveryApi = mockApis.discovery({ baseUrl: 'http://localhost:7007' });
  const fetchApi = {
    fetch: (...args: Parameters<typeof fetch>) => fetch(...args),
  };
  await renderInTestApp(
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
    </TestApiProvider>,
  );
  await userEvent.click(await screen.findByRole('tab', { name: 'Statistics' }));
  return screen.findByRole('region', { name: 'Statistics' });
}

describe('StatisticsPanel', () => {
  // jsdom has no layout; recharts' ResponsiveContainer needs the observer.
  const originalResizeObserver = global.ResizeObserver;
  beforeAll(() => {
    global.ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    } as unknown as typeof ResizeObserver;
  });
  afterAll(() => {
    global.ResizeObserver = originalResizeObserver;
  });

  it('shows the key figures', async () => {
    serve();
    const panel = await openStatistics();

    const figures = await within(panel).findByRole('region', {
      name: 'Key figures',
    });
    const tile = (name: string) => within(figures).getByRole('group', { name });
    expect(tile('Retry success rate')).toHaveTextContent('50%');
    expect(tile('Retries')).toHaveTextContent('40');
    expect(tile('Retries')).toHaveTextContent('20 succeeded, 20 failed');
    expect(tile('Automatic retries')).toHaveTextContent('30');
    expect(tile('Automatic retries')).toHaveTextContent('18 succeeded (60%)');
    expect(tile('Manual retries')).toHaveTextContent('6');
    expect(tile('Bulk retry retries')).toHaveTextContent('4');
    expect(tile('Median time to recovery')).toHaveTextContent('3 h 20 min');
    expect(
      within(figures).queryByRole('group', { name: 'Other retries' }),
    ).not.toBeInTheDocument();
  });

  it('lists the top error codes with their recovery rate', async () => {
    serve();
    const panel = await openStatistics();

    const table = await within(panel).findByRole('table', {
      name: 'Top error codes',
    });
    const rows = within(table).getAllByRole('row');
    // Header, then by failures: the rate limit first.
    expect(rows).toHaveLength(4);
    expect(rows[1]).toHaveTextContent(/^130429.*Rate limit hit253080%$/);
    expect(rows[2]).toHaveTextContent(/^131026.*Message undeliverable50—$/);
    expect(rows[3]).toHaveTextContent(
      /^network-errorCould not reach WhatsApp11100%$/,
    );
  });

  it("links Meta's error codes to Meta's documentation, in a new tab", async () => {
    serve();
    const panel = await openStatistics();

    const table = await within(panel).findByRole('table', {
      name: 'Top error codes',
    });
    const link = within(table).getByRole('link', {
      name: "Meta's documentation for 130429, Opens in a new window",
    });
    expect(link).toHaveTextContent(/^130429/);
    expect(link).toHaveAttribute('href', metaErrorCodesUrl);
    expect(link).toHaveAttribute('target', '_blank');
    expect(link).toHaveAttribute('rel', 'noopener');
    // Our own codes have no page at Meta.
    expect(within(table).getAllByRole('link')).toHaveLength(2);
    expect(
      within(within(table).getAllByRole('row')[3]).queryByRole('link'),
    ).not.toBeInTheDocument();
  });

  it('describes the charts in text', async () => {
    serve();
    const panel = await openStatistics();

    expect(
      await within(panel).findByRole('img', {
        name: /Failures per day by category: 31 failures in 2 days/,
      }),
    ).toBeInTheDocument();
    expect(
      within(panel).getByRole('img', {
        name: /Retries per day: 40 retries, 20 succeeded, 20 did not/,
      }),
    ).toBeInTheDocument();
    const failures = within(panel).getByRole('table', {
      name: 'Failures per day by category',
    });
    const headers = (table: HTMLElement) =>
      within(table)
        .getAllByRole('columnheader')
        .map(cell => cell.textContent);
    expect(headers(failures)).toEqual([
      'Day',
      'Retryable',
      'Non-Retryable',
      'Business Logic',
    ]);
    expect(within(failures).getAllByRole('row')[1]).toHaveTextContent(
      '25 Nov1021',
    );
    const retries = within(panel).getByRole('table', {
      name: 'Retries per day',
    });
    expect(headers(retries)).toEqual([
      'Day',
      'Retries',
      'Succeeded',
      'Not succeeded',
    ]);
    expect(within(retries).getAllByRole('row')[1]).toHaveTextContent(
      '25 Nov1578',
    );
  });

  it('asks for the chosen window and bucket', async () => {
    serve();
    const panel = await openStatistics();
    await within(panel).findByRole('region', { name: 'Key figures' });

    const days = (url: URL) =>
      Math.round(
        (Date.parse(url.searchParams.get('to')!) -
          Date.parse(url.searchParams.get('from')!)) /
          86_400_000,
      );
    expect(days(lastStatisticsRequest())).toBe(30);
    expect(lastStatisticsRequest().searchParams.get('bucket')).toBe('day');

    await userEvent.selectOptions(
      within(panel).getByLabelText('Time window'),
      'Last 90 days',
    );
    await waitFor(() => expect(days(lastStatisticsRequest())).toBe(90));

    await userEvent.selectOptions(
      within(panel).getByLabelText('Group by'),
      'Per week',
    );
    await waitFor(() =>
      expect(lastStatisticsRequest().searchParams.get('bucket')).toBe('week'),
    );
    expect(days(lastStatisticsRequest())).toBe(90);
  });

  it('shows the delivery rates, the campaigns and the business numbers', async () => {
    serve({
      ...statistics,
      byCampaign: [
        {
          campaign: 'black-friday',
          sent: 300,
          delivered: 270,
          failed: 30,
          recovered: 12,
          failureRate: 0.1,
          deliveryRate: 0.9,
        },
      ],
      byNumber: [
        {
          phoneNumberId: '106540352242922',
          label: 'Support DE',
          sent: 1000,
          delivered: 950,
          failed: 40,
          failureRate: 0.04,
          deliveryRate: 0.95,
        },
      ],
    });
    const panel = await openStatistics();

    const rates = await within(panel).findByRole('region', {
      name: 'Delivery rates',
    });
    expect(
      within(rates).getByRole('group', { name: 'Failure rate' }),
    ).toHaveTextContent('4%');
    expect(
      within(panel).getByRole('link', {
        name: 'Show the failed messages of black-friday',
      }),
    ).toBeInTheDocument();
    expect(
      within(panel).getByRole('table', { name: 'Business numbers' }),
    ).toHaveTextContent('Support DE');
  });

  it("asks for one campaign's statistics, chosen among the window's campaigns", async () => {
    const byCampaign = ['order-updates', 'black-friday'].map(campaign => ({
      campaign,
      sent: 100,
      delivered: 90,
      failed: 10,
      recovered: 0,
      failureRate: 0.1,
      deliveryRate: 0.9,
    }));
    serve({ ...statistics, byCampaign });
    const panel = await openStatistics();
    const field = await within(panel).findByLabelText('Campaign');
    expect(
      within(field)
        .getAllByRole('option')
        .map(option => option.textContent),
    ).toEqual(['All campaigns', 'black-friday', 'order-updates']);
    expect(lastStatisticsRequest().searchParams.has('campaign')).toBe(false);

    serve({ ...statistics, byCampaign: byCampaign.slice(1) });
    await userEvent.selectOptions(field, 'black-friday');
    await waitFor(() =>
      expect(lastStatisticsRequest().searchParams.get('campaign')).toBe(
        'black-friday',
      ),
    );
    // The other campaigns stay to choose from.
    expect(within(field).getAllByRole('option')).toHaveLength(3);

    await userEvent.selectOptions(field, 'All campaigns');
    await waitFor(() =>
      expect(lastStatisticsRequest().searchParams.has('campaign')).toBe(false),
    );
  });

  it('says when there is nothing in the window', async () => {
    serve({
      ...statistics,
      retrySuccessRate: null,
      retries: counts(0, 0),
      byErrorCode: [],
      trend: [],
      medianSecondsToRecovery: null,
      delivery: {
        sent: 0,
        delivered: 0,
        read: 0,
        failed: 0,
        failureRate: null,
        deliveryRate: null,
      },
    });
    const panel = await openStatistics();

    expect(
      await within(panel).findByText('No failures or retries in this window.'),
    ).toBeInTheDocument();
  });

  it("shows the backend's error", async () => {
    serve({
      error: { name: 'Error', message: 'Database is down' },
    });
    const panel = await openStatistics();

    expect(
      await within(panel).findByText(/Could not load the statistics/),
    ).toHaveTextContent('Database is down');
    expect(
      within(panel).getByRole('button', { name: 'Retry' }),
    ).toBeInTheDocument();
  });
});

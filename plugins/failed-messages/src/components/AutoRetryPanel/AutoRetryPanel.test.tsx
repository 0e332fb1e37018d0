import {
  AutoRetryRunFigures,
  AutoRetryStatus,
} from '@msgops/plugin-failed-messages-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import {
  baseUrl,
  renderPage,
  setUpFakeBackend,
} from '../../__testUtils__/fakeBackend';

const { server, serve } = setUpFakeBackend();

const pausedRun: AutoRetryRunFigures = {
  startedAt: '2026-12-02T05:00:00.000Z',
  finishedAt: '2026-12-02T05:03:00.000Z',
  attempted: 12,
  succeeded: 9,
  failed: 3,
  skipped: [
    {
      reason:
        'Retries from account eu-main are paused since 2026-12-02T05:01:00.000Z: access token expired',
      count: 4,
    },
    {
      reason: 'A retry of this message is already running.',
      count: 1,
    },
  ],
  pausedReason: '20 of 24 retries failed with Rate limit hit (130429).',
};

/** A schedule at 06:00 Berlin time, whose next run is 05:00 UTC in winter. */
function statusWith(overrides: Partial<AutoRetryStatus>): AutoRetryStatus {
  return {
    enabled: true,
    schedule: { cron: '0 6 * * *' },
    timezone: 'Europe/Berlin',
    maxAttempts: 3,
    nextRunAt: '2026-12-04T05:00:00.000Z',
    paused: [],
    lastRun: pausedRun,
    current: null,
    recentRuns: [pausedRun],
    ...overrides,
  };
}

/** GET /auto-retry answers these in turn, the last one from then on. */
function serveStatuses(...statuses: AutoRetryStatus[]) {
  serve();
  let asked = 0;
  const runs: unknown[] = [];
  server.use(
    http.get(`${baseUrl}/auto-retry`, () =>
      HttpResponse.json(statuses[Math.min(asked++, statuses.length - 1)]),
    ),
    http.post(`${baseUrl}/auto-retry/run`, () => {
      runs.push('run');
      return HttpResponse.json({ status: 'started' }, { status: 202 });
    }),
  );
  return runs;
}

async function openPanel() {
  await userEvent.click(
    await screen.findByRole('button', { name: /Automatic run/ }),
  );
  return screen.getByRole('region', { name: 'Automatic run' });
}

describe('AutoRetryPanel', () => {
  it('shows the next run in both zones and the last runs with their counts', async () => {
    serveStatuses(statusWith({}));
    await renderPage();
    const panel = await openPanel();

    expect(
      within(panel).getByText(
        /The schedule runs in Europe\/Berlin: Dec 4, 2026, 6:00 AM there/,
      ),
    ).toBeInTheDocument();
    expect(
      within(panel).getByText(/^Next run .* your time \(/),
    ).toBeInTheDocument();
    const table = within(panel).getByRole('table', { name: 'Last runs' });
    const [, row] = within(table).getAllByRole('row');
    expect(
      within(row)
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    ).toEqual([
      expect.any(String),
      '12',
      '9',
      '3',
      '5Retries from account eu-main are paused since 2026-12-02T05:01:00.000Z: access token expired (4)A retry of this message is already running. (1)',
      'Paused: 20 of 24 retries failed with Rate limit hit (130429).',
    ]);
  });

  it('starts a run on Run now, shows it going, and the finished run after', async () => {
    const going: AutoRetryRunFigures = {
      startedAt: '2026-12-03T07:00:00.000Z',
      finishedAt: null,
      attempted: 5,
      succeeded: 4,
      failed: 1,
      skipped: [],
      pausedReason: null,
    };
    const finished = {
      ...going,
      finishedAt: '2026-12-03T07:01:00.000Z',
      attempted: 8,
      succeeded: 7,
    };
    const runs = serveStatuses(
      statusWith({}),
      statusWith({ current: going, recentRuns: [going, pausedRun] }),
      statusWith({ recentRuns: [finished, pausedRun] }),
    );
    await renderPage();
    const panel = await openPanel();

    await userEvent.click(
      within(panel).getByRole('button', { name: 'Run now' }),
    );

    expect(runs).toHaveLength(1);
    expect(
      await within(panel).findByRole(
        'progressbar',
        { name: 'Progress of the automatic run' },
        { timeout: 4000 },
      ),
    ).toBeInTheDocument();
    expect(
      within(panel).getByText(
        '5 attempted so far: 4 accepted, 1 failed, 0 skipped',
      ),
    ).toBeInTheDocument();
    expect(
      within(panel).getByRole('button', { name: 'Run now' }),
    ).toBeDisabled();

    await waitFor(
      () =>
        expect(
          within(panel).queryByRole('progressbar', {
            name: 'Progress of the automatic run',
          }),
        ).not.toBeInTheDocument(),
      { timeout: 4000 },
    );
    const table = within(panel).getByRole('table', { name: 'Last runs' });
    const [, newest] = within(table).getAllByRole('row');
    expect(within(newest).getAllByRole('cell')[1]).toHaveTextContent('8');
    expect(
      within(panel).getByRole('button', { name: 'Run now' }),
    ).toBeEnabled();
  });

  it('says so when a run was going already, and watches that one', async () => {
    const going: AutoRetryRunFigures = {
      startedAt: '2026-12-03T07:00:00.000Z',
      finishedAt: null,
      attempted: 2,
      succeeded: 2,
      failed: 0,
      skipped: [],
      pausedReason: null,
    };
    serveStatuses(
      statusWith({}),
      statusWith({ current: going, recentRuns: [going, pausedRun] }),
    );
    server.use(
      http.post(`${baseUrl}/auto-retry/run`, () =>
        HttpResponse.json({ status: 'already-running', run: going }),
      ),
    );
    await renderPage();
    const panel = await openPanel();

    await userEvent.click(
      within(panel).getByRole('button', { name: 'Run now' }),
    );

    expect(
      await within(panel).findByText(
        'A run was going already; no second one was started.',
      ),
    ).toBeInTheDocument();
    expect(
      await within(panel).findByText(
        '2 attempted so far: 2 accepted, 0 failed, 0 skipped',
        undefined,
        { timeout: 4000 },
      ),
    ).toBeInTheDocument();
  });

  it('says so when the run is off', async () => {
    serveStatuses(statusWith({ enabled: false, nextRunAt: null }));
    await renderPage();
    const panel = await openPanel();
    expect(
      within(panel).getByText('The automatic run is turned off.'),
    ).toBeInTheDocument();
    expect(
      within(panel).queryByRole('button', { name: 'Run now' }),
    ).not.toBeInTheDocument();
  });
});

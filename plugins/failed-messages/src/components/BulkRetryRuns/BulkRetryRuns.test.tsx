import { BulkRetry } from '@msgops/plugin-failed-messages-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import {
  baseUrl,
  renderPage,
  runningBulkRetry,
  setUpFakeBackend,
} from '../../__testUtils__/fakeBackend';
import { formatExactTime } from '../../utils/formatTime';

const { server, serve, lastListRequest } = setUpFakeBackend();

describe('Recent bulk retries on the page', () => {
  const running: BulkRetry = {
    ...runningBulkRetry,
    id: 'bulk-2',
    total: 5,
    processed: 2,
    succeeded: 2,
    createdBy: 'user:default/ada-admin',
    createdAt: '2026-11-27T11:00:00.000Z',
    reason: 'Meta outage is over',
    scope: { filter: { category: ['retryable'], state: ['open'] } },
  };
  const finished: BulkRetry = {
    ...runningBulkRetry,
    id: 'bulk-1',
    status: 'completed',
    total: 3,
    processed: 3,
    succeeded: 2,
    failed: 1,
    createdBy: 'user:default/alice',
    createdAt: '2026-11-27T10:00:00.000Z',
    finishedAt: '2026-11-27T10:01:00.000Z',
    scope: { selected: 3 },
  };

  async function findRuns() {
    return screen.findByRole('table', { name: 'Recent bulk retries' });
  }

  it('lists who started each run, when, why, on what, how far it got and how it ended', async () => {
    serve({ bulkRetries: [running, finished] });
    await renderPage();

    const rows = within(await findRuns()).getAllByRole('row');
    expect(rows.map(row => row.textContent)).toEqual([
      'StartedReasonMessagesProgressOutcomeActions',
      `${formatExactTime(running.createdAt)} by ada-admin` +
        'Meta outage is over' +
        'All matching category: retryable; state: open' +
        '2 of 5 processed' +
        'Running: 2 sent, 0 failed, 0 skipped' +
        'Watch',
      `${formatExactTime(finished.createdAt)} by alice` +
        'No reason given' +
        '3 selected messages' +
        '3 of 3 processed' +
        'Done: 2 sent, 1 failed, 0 skipped' +
        'Show its messages',
    ]);
    expect(
      within(rows[1]).getByRole('progressbar', {
        name: `Progress of the bulk retry started ${formatExactTime(
          running.createdAt,
        )}`,
      }),
    ).toHaveAttribute('aria-valuenow', '40');
  });

  it('reopens a running bulk retry to watch it and stop it', async () => {
    let cancelled = false;
    serve({ bulkRetries: [running] });
    server.use(
      http.get(`${baseUrl}/bulk-retries/bulk-2`, () =>
        HttpResponse.json({ ...running, processed: 4, succeeded: 4 }),
      ),
      http.post(`${baseUrl}/bulk-retries/bulk-2/cancel`, () => {
        cancelled = true;
        return HttpResponse.json({
          ...running,
          status: 'cancelled',
          processed: 4,
          succeeded: 4,
        });
      }),
    );
    await renderPage();
    await findRuns();

    await userEvent.click(
      screen.getByRole('button', {
        name: `Watch the bulk retry started ${formatExactTime(
          running.createdAt,
        )}`,
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: `Bulk retry started ${formatExactTime(running.createdAt)}`,
    });
    expect(
      await within(dialog).findByText(
        '4 of 5 processed: 4 sent, 0 failed, 0 skipped',
        undefined,
        { timeout: 3000 },
      ),
    ).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Stop' }));
    expect(
      await within(dialog).findByText(
        'Stopped after 4 of 5 (4 sent, 0 failed, 0 skipped)',
      ),
    ).toBeInTheDocument();
    expect(cancelled).toBe(true);
  });

  it('closes a watched run without stopping it', async () => {
    serve({ bulkRetries: [running] });
    server.use(
      http.get(`${baseUrl}/bulk-retries/bulk-2`, () =>
        HttpResponse.json(running),
      ),
    );
    await renderPage();
    await findRuns();
    await userEvent.click(screen.getByRole('button', { name: /^Watch/ }));
    await screen.findByRole('dialog');

    await userEvent.keyboard('{Escape}');

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('links a finished run to the messages it acted on, and back to every message', async () => {
    serve({ bulkRetries: [finished] });
    await renderPage('?category=retryable');
    await findRuns();

    await userEvent.click(
      screen.getByRole('link', {
        name: `Show the messages of the bulk retry started ${formatExactTime(
          finished.createdAt,
        )}`,
      }),
    );

    await waitFor(() =>
      expect(lastListRequest().searchParams.get('bulkRetryId')).toBe('bulk-1'),
    );
    // Every state: the run may have resolved some of them.
    expect(lastListRequest().searchParams.getAll('state')).toEqual([]);
    expect(lastListRequest().searchParams.getAll('category')).toEqual([]);
    expect(
      screen.getByText('Showing only the messages of one bulk retry.'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('link', { name: 'Show every message' }),
    );
    await waitFor(() =>
      expect(lastListRequest().searchParams.has('bulkRetryId')).toBe(false),
    );
    expect(
      screen.queryByText('Showing only the messages of one bulk retry.'),
    ).not.toBeInTheDocument();
  });

  it('shows nothing when no bulk retry was made', async () => {
    serve();
    await renderPage();
    await screen.findByRole('toolbar', { name: 'Bulk retry' });
    expect(
      screen.queryByRole('table', { name: 'Recent bulk retries' }),
    ).not.toBeInTheDocument();
  });
});

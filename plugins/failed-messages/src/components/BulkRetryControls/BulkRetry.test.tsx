import { mockBreakpoint } from '@backstage/test-utils';
import {
  BulkRetry,
  FailedMessage,
} from '@msgops/plugin-failed-messages-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import {
  baseUrl,
  rateLimited,
  renderPage,
  runningBulkRetry,
  setUpFakeBackend,
} from '../../__testUtils__/fakeBackend';

const { server, serve, requests } = setUpFakeBackend();

describe('Bulk retry on the page', () => {
  const otherMessage: FailedMessage = {
    ...rateLimited,
    id: 'msg-2',
    externalId: 'wamid.2',
    recipient: '+4915187654321',
  };
  const running: BulkRetry = { ...runningBulkRetry, total: 5 };

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
      { filter: { category: ['retryable'], state: ['open'] }, dryRun: true },
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

  it('shows that the preview is being counted until it arrives', async () => {
    serve({ totalCount: 1_000_000 });
    let answer: (preview: object) => void = () => {};
    server.use(
      http.post(
        `${baseUrl}/bulk-retries`,
        () =>
          new Promise<Response>(resolve => {
            answer = preview => resolve(HttpResponse.json(preview));
          }),
      ),
    );
    await renderPage();
    await findBulkRetryToolbar();

    await userEvent.click(
      screen.getByRole('button', { name: 'Retry all matching (1000000)' }),
    );

    const dialog = await screen.findByRole('dialog');
    const counting =
      'Counting the matching messages and what a retry would do with each…';
    expect(
      await within(dialog).findByRole('progressbar', { name: counting }),
    ).toBeInTheDocument();
    expect(within(dialog).getByRole('status')).toHaveTextContent(counting);
    expect(
      within(dialog).getByRole('button', { name: 'Retry 0 messages' }),
    ).toBeDisabled();

    answer({ matched: 1_000_000, eligible: 429_982, skipped: [] });

    expect(
      await within(dialog).findByText(
        '1000000 matched, 429982 will be retried',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).queryByRole('progressbar')).not.toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Retry 429982 messages' }),
    ).toBeEnabled();
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

import { FAILED_MESSAGES_SIGNAL_CHANNEL } from '@msgops/plugin-failed-messages-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import {
  baseUrl,
  rateLimitedDetail,
  renderPage,
  runningBulkRetry,
  setUpFakeBackend,
} from '../../__testUtils__/fakeBackend';
import { createFakeSignalApi } from '../../__testUtils__/fakeSignalApi';

const { server, serve, requests, lastListRequest } = setUpFakeBackend();

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
    let finished = false;
    server.use(
      http.post(`${baseUrl}/bulk-retries`, async ({ request }) => {
        const body = (await request.json()) as { dryRun?: boolean };
        return body.dryRun
          ? HttpResponse.json({ matched: 1, eligible: 1, skipped: [] })
          : HttpResponse.json(runningBulkRetry, { status: 202 });
      }),
      http.get(`${baseUrl}/bulk-retries/bulk-1`, () =>
        HttpResponse.json(
          finished
            ? {
                ...runningBulkRetry,
                status: 'completed',
                processed: 1,
                succeeded: 1,
              }
            : runningBulkRetry,
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

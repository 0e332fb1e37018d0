import { mockBreakpoint } from '@backstage/test-utils';
import { FailedMessage } from '@msgops/plugin-failed-messages-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import {
  baseUrl,
  rateLimited,
  rateLimitedDetail,
  renderPage,
  setUpFakeBackend,
} from '../../__testUtils__/fakeBackend';

const { server, serve, lastListRequest } = setUpFakeBackend();

describe('MessageList on the page', () => {
  // Back to the wide layout after the small-screen tests.
  afterEach(() => mockBreakpoint({ matches: false }));

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
      expect(screen.getByLabelText('Current search')).toHaveTextContent(
        /^\?state=open$/,
      ),
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

  it("shows each message's campaign in a column of its own", async () => {
    const withoutCampaign: FailedMessage = {
      ...rateLimited,
      id: 'msg-9',
      recipient: '+4915100000009',
      campaign: null,
    };
    serve({ items: [rateLimited, withoutCampaign] });
    await renderPage();
    const table = await screen.findByRole('table', {
      name: 'Failed messages',
    });
    await within(table).findByText('+4915100000009');
    const column = within(table)
      .getAllByRole('columnheader')
      .findIndex(header => header.textContent === 'Campaign');
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map(row => within(row).getAllByRole('cell')[column].textContent),
    ).toEqual([rateLimited.campaign, '']);
  });

  it("shows a message's campaign on its card on small screens", async () => {
    mockBreakpoint({ matches: true });
    serve();
    await renderPage();
    expect(
      await screen.findByText(`Campaign ${rateLimited.campaign}`),
    ).toBeInTheDocument();
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
});

import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import {
  baseUrl,
  renderPage,
  setUpFakeBackend,
} from '../../__testUtils__/fakeBackend';

const { server, serve, requests, lastListRequest } = setUpFakeBackend();

describe('FilterBar on the page', () => {
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
      'errorCode=131026&state=open&campaign=black-friday',
    );
  });
});

describe('FilterBar campaign', () => {
  it('suggests the known campaigns as one types, and still takes any text', async () => {
    serve({ campaigns: ['black-friday', 'Friday-reminder', 'spring-sale'] });
    await renderPage();
    await screen.findByText('+4915112345678');

    const campaign = screen.getByRole('searchbox', { name: 'Campaign' });
    await userEvent.type(campaign, 'frid');
    // Opening the list may first show every campaign, until 'frid' is answered.
    await waitFor(() =>
      expect(
        screen.getAllByRole('option').map(option => option.textContent),
      ).toEqual(['black-friday', 'Friday-reminder']),
    );
    const asked = requests.filter(url => url.pathname.endsWith('/campaigns'));
    expect(asked[asked.length - 1].searchParams.get('q')).toBe('frid');

    await userEvent.click(
      screen.getByRole('option', { name: 'Friday-reminder' }),
    );
    await waitFor(() =>
      expect(lastListRequest().searchParams.get('campaign')).toBe(
        'Friday-reminder',
      ),
    );

    await userEvent.clear(campaign);
    await userEvent.type(campaign, 'not-known-yet');
    await waitFor(() =>
      expect(lastListRequest().searchParams.get('campaign')).toBe(
        'not-known-yet',
      ),
    );
  });
});

describe('FilterBar custom age range', () => {
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
    expect(previewBody).toEqual({
      filter: { from, to, state: ['open'] },
      dryRun: true,
    });
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
      expect(screen.getByLabelText('Current search')).toHaveTextContent(
        /^\?state=open$/,
      ),
    );
    expect(screen.queryByLabelText('From')).not.toBeInTheDocument();
    expect(lastListRequest().searchParams.has('from')).toBe(false);
  });
});

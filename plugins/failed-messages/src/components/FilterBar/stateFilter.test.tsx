import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  rateLimited,
  renderPage,
  setUpFakeBackend,
} from '../../__testUtils__/fakeBackend';

const { serve, requests, lastListRequest } = setUpFakeBackend();

const lastSummaryRequest = () =>
  requests.filter(url => url.pathname.endsWith('/summary')).pop()!;

describe('The state filter', () => {
  it('opens on open failures, and the cards say what they count', async () => {
    serve();
    await renderPage();
    await screen.findByText('+4915112345678');

    expect(lastListRequest().searchParams.getAll('state')).toEqual(['open']);
    expect(lastSummaryRequest().searchParams.getAll('state')).toEqual(['open']);
    expect(
      screen.getByText('Counting open failures that match the filters'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Summary' }),
    ).toHaveAccessibleDescription(
      'Counting open failures that match the filters',
    );
  });

  it('shows dismissed failures when chosen, and every state when none is', async () => {
    serve();
    await renderPage();
    await screen.findByText('+4915112345678');

    await userEvent.click(screen.getByRole('button', { name: /State/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'Open' }));
    await userEvent.click(screen.getByRole('option', { name: 'Dismissed' }));
    await userEvent.keyboard('{Escape}');

    await waitFor(() =>
      expect(lastListRequest().searchParams.getAll('state')).toEqual([
        'dismissed',
      ]),
    );
    expect(
      screen.getByText('Counting dismissed failures that match the filters'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Current search')).toHaveTextContent(
      'state=dismissed',
    );

    await userEvent.click(screen.getByRole('button', { name: /State/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Dismissed' }),
    );
    await userEvent.keyboard('{Escape}');

    await waitFor(() =>
      expect(lastListRequest().searchParams.has('state')).toBe(false),
    );
    expect(
      screen.getByText(
        'Counting failures in every state that match the filters',
      ),
    ).toBeInTheDocument();
    // A link to every state stays one: it is not read as the default.
    expect(screen.getByLabelText('Current search')).toHaveTextContent(
      'state=all',
    );
  });

  it('reads the states of a shared link', async () => {
    serve();
    await renderPage('?state=resolved&state=dismissed');
    await screen.findByText('+4915112345678');

    expect(lastListRequest().searchParams.getAll('state')).toEqual([
      'resolved',
      'dismissed',
    ]);
    expect(
      screen.getByText(
        'Counting failures that are resolved or dismissed and match the filters',
      ),
    ).toBeInTheDocument();
  });

  it('marks a dismissed message in the list, with no automatic retry ahead', async () => {
    serve({
      items: [
        {
          ...rateLimited,
          state: 'dismissed',
          dismissal: {
            by: 'user:default/alex-agent',
            at: '2026-11-27T09:00:00.000Z',
            reason: 'Duplicate',
          },
        },
      ],
    });
    await renderPage('?state=dismissed');

    const row = await screen.findByRole('row', {
      name: /Details of the message to \+4915112345678/,
    });
    expect(row).toHaveTextContent('Retry failed · Dismissed');
    expect(row).not.toHaveTextContent('next run');
  });
});

import { mockBreakpoint } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderPage, setUpFakeBackend } from '../../__testUtils__/fakeBackend';

const { serve, requests, lastListRequest } = setUpFakeBackend();

describe('SummaryCards on the page', () => {
  // Back to the wide layout after the small-screen tests.
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

  it('shows each category icon in black on green, red and yellow', async () => {
    serve();
    await renderPage();

    const summary = screen.getByRole('region', { name: 'Summary' });
    const iconOf = async (name: string) =>
      (await within(summary).findByRole('button', { name })).querySelector(
        'svg',
      )!.parentElement!;
    expect(await iconOf('Retryable: 30')).toHaveStyle({
      backgroundColor: '#4caf50',
      color: '#000',
    });
    expect(await iconOf('Non-Retryable: 8')).toHaveStyle({
      backgroundColor: '#f44336',
      color: '#000',
    });
    expect(await iconOf('Business Logic: 4')).toHaveStyle({
      backgroundColor: '#ffd600',
      color: '#000',
    });
  });
});

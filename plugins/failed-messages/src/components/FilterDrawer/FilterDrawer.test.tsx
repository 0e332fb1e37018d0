import { mockBreakpoint } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderPage, setUpFakeBackend } from '../../__testUtils__/fakeBackend';

const { serve, lastListRequest } = setUpFakeBackend();

describe('FilterDrawer on the page', () => {
  // Back to the wide layout after the small-screen tests.
  afterEach(() => mockBreakpoint({ matches: false }));

  it('folds the filters into a drawer on small screens', async () => {
    mockBreakpoint({ matches: true });
    serve();
    await renderPage('?category=retryable&campaign=black-friday');
    await screen.findByText('+4915112345678');

    expect(
      screen.queryByRole('region', { name: 'Filters' }),
    ).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Filters (2)' }));
    const drawer = await screen.findByRole('dialog', { name: 'Filters' });
    await userEvent.click(
      within(drawer).getByRole('button', { name: /Retry status/ }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'Retry failed' }),
    );
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(lastListRequest().searchParams.getAll('retryStatus')).toEqual([
        'retry-failed',
      ]),
    );
    await userEvent.click(within(drawer).getByRole('button', { name: 'Done' }));

    expect(
      await screen.findByRole('button', { name: 'Filters (3)' }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Filters' }),
      ).not.toBeInTheDocument(),
    );
  });
});

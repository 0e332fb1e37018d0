import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createEmptyFailedMessagesApi } from '../../__testUtils__/emptyFailedMessagesApi';
import { renderPageWithout } from '../../__testUtils__/renderPageWithout';

// A file of its own: usePermission caches answers for the whole test file.

describe('AutoRetryPanel for a manager', () => {
  it('shows the run but offers no Run now', async () => {
    const api = createEmptyFailedMessagesApi();
    api.getAutoRetry.mockResolvedValue({
      enabled: true,
      schedule: { cron: '0 6 * * *' },
      timezone: 'UTC',
      maxAttempts: 3,
      nextRunAt: '2026-12-04T06:00:00.000Z',
      paused: [],
      lastRun: null,
      current: null,
      recentRuns: [],
    });
    await renderPageWithout('failed-messages.message.bulk-retry', api);
    await userEvent.click(
      await screen.findByRole('button', { name: /Automatic run/ }),
    );
    const panel = screen.getByRole('region', { name: 'Automatic run' });
    expect(
      within(panel).getByText(
        /The schedule runs in UTC: Dec 4, 2026, 6:00 AM there/,
      ),
    ).toBeInTheDocument();
    expect(within(panel).getByText('No run yet.')).toBeInTheDocument();
    expect(
      within(panel).queryByRole('button', { name: 'Run now' }),
    ).not.toBeInTheDocument();
  });
});

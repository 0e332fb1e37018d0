import { screen, waitFor, within } from '@testing-library/react';
import { createEmptyFailedMessagesApi } from '../../__testUtils__/emptyFailedMessagesApi';
import { renderPageWithout } from '../../__testUtils__/renderPageWithout';

// A file of its own: usePermission caches answers for the whole test file.

describe('PausedAccountsBanner without the bulk-retry permission', () => {
  it('names the paused account but offers no Resume', async () => {
    const api = createEmptyFailedMessagesApi();
    api.getAutoRetry.mockResolvedValue({
      enabled: true,
      schedule: { cron: '0 6 * * *' },
      timezone: 'UTC',
      maxAttempts: 3,
      nextRunAt: null,
      paused: [
        {
          account: 'eu-main',
          code: '190',
          reason: 'WhatsApp reported an account problem.',
          since: '2026-12-03T05:30:00.000Z',
        },
        {
          account: 'us-brand',
          code: '131031',
          reason: 'WhatsApp reported an account problem.',
          since: '2026-12-03T06:00:00.000Z',
        },
      ],
      lastRun: null,
      current: null,
      recentRuns: [],
    });
    const asked = await renderPageWithout(
      'failed-messages.message.bulk-retry',
      api,
    );

    const banner = await screen.findByRole('region', {
      name: 'Automatic and bulk retries are paused',
    });
    expect(within(banner).getByText(/^Account eu-main/)).toBeInTheDocument();
    await waitFor(() =>
      expect(asked).toContain('failed-messages.message.bulk-retry'),
    );
    // Lets the answer reach the page.
    await new Promise(resolve => setTimeout(resolve, 50));

    expect(within(banner).queryByRole('button')).not.toBeInTheDocument();
    expect(api.resumeAutoRetry).not.toHaveBeenCalled();
  });
});

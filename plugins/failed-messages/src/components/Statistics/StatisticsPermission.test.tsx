import { FAILED_MESSAGES_SIGNAL_CHANNEL } from '@msgops/plugin-failed-messages-common';
import { screen, waitFor } from '@testing-library/react';
import { createEmptyFailedMessagesApi } from '../../__testUtils__/emptyFailedMessagesApi';
import { createFakeSignalApi } from '../../__testUtils__/fakeSignalApi';
import { renderPageWithout } from '../../__testUtils__/renderPageWithout';

// A file of its own: usePermission caches answers for the whole test file.

describe('Statistics without the statistics permission', () => {
  it('shows neither the tabs nor the statistics, even for a link to them', async () => {
    const api = createEmptyFailedMessagesApi();
    const signals = createFakeSignalApi();
    const asked = await renderPageWithout(
      'failed-messages.statistics.read',
      api,
      { initialSearch: '?tab=statistics', signalApi: signals.signalApi },
    );

    await waitFor(() =>
      expect(asked).toContain('failed-messages.statistics.read'),
    );
    // Lets the answer reach the page.
    await new Promise(resolve => setTimeout(resolve, 50));

    expect(screen.queryByRole('tab', { name: 'Statistics' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Statistics' })).toBeNull();
    expect(api.getStatistics).not.toHaveBeenCalled();

    // The messages shown instead stay live.
    expect(
      await screen.findByText('No failed messages match these filters'),
    ).toBeInTheDocument();
    const listRequests = api.listMessages.mock.calls.length;
    signals.publish(FAILED_MESSAGES_SIGNAL_CHANNEL, {
      type: 'messages-changed',
    });
    await waitFor(
      () =>
        expect(api.listMessages.mock.calls.length).toBeGreaterThan(
          listRequests,
        ),
      { timeout: 8000 },
    );
  });
});

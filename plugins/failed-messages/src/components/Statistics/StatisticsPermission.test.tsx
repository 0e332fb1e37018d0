import { screen, waitFor } from '@testing-library/react';
import { createEmptyFailedMessagesApi } from '../../__testUtils__/emptyFailedMessagesApi';
import { renderPageWithout } from '../../__testUtils__/renderPageWithout';

// A file of its own: usePermission caches answers for the whole test file.

describe('Statistics without the statistics permission', () => {
  it('shows neither the tabs nor the statistics', async () => {
    const api = createEmptyFailedMessagesApi();
    const asked = await renderPageWithout(
      'failed-messages.statistics.read',
      api,
    );

    await waitFor(() =>
      expect(asked).toContain('failed-messages.statistics.read'),
    );
    // Lets the answer reach the page.
    await new Promise(resolve => setTimeout(resolve, 50));

    expect(screen.queryByRole('tab', { name: 'Statistics' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Statistics' })).toBeNull();
    expect(api.getStatistics).not.toHaveBeenCalled();
  });
});

import { screen, waitFor } from '@testing-library/react';
import { createEmptyFailedMessagesApi } from '../../__testUtils__/emptyFailedMessagesApi';
import { fakeMessage } from '../../__testUtils__/fakeFailedMessagesApi';
import { renderPageWithout } from '../../__testUtils__/renderPageWithout';

// A file of its own: usePermission caches answers for the whole test file.

describe('Bulk retry without the bulk-retry permission', () => {
  it('shows neither the bulk retry buttons nor the row checkboxes', async () => {
    const api = createEmptyFailedMessagesApi();
    api.listMessages.mockResolvedValue({ items: [fakeMessage], totalCount: 1 });
    const asked = await renderPageWithout(
      'failed-messages.message.bulk-retry',
      api,
    );

    expect(await screen.findByText(fakeMessage.recipient)).toBeInTheDocument();
    await waitFor(() =>
      expect(asked).toContain('failed-messages.message.bulk-retry'),
    );
    // Lets the answer reach the page.
    await new Promise(resolve => setTimeout(resolve, 50));

    expect(
      screen.queryByRole('toolbar', { name: 'Bulk retry' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Retry all matching/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('checkbox', {
        name: 'Select message to +4915112345678',
      }),
    ).not.toBeInTheDocument();
    expect(api.previewBulkRetry).not.toHaveBeenCalled();
  });
});

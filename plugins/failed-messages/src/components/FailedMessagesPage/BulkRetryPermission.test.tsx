import { FailedMessage } from '@internal/plugin-failed-messages-common';
import { screen, waitFor } from '@testing-library/react';
import { createEmptyFailedMessagesApi } from '../../__testUtils__/emptyFailedMessagesApi';
import { renderPageWithout } from '../../__testUtils__/renderPageWithout';

// A file of its own: usePermission caches answers for the whole test file.

const message: FailedMessage = {
  id: 'msg-1',
  channel: 'whatsapp',
  externalId: 'wamid.1',
  recipient: '+4915112345678',
  campaign: null,
  templateName: null,
  error: {
    code: '130429',
    title: 'Rate limit hit',
    message: null,
    details: null,
  },
  category: 'retryable',
  retryStatus: 'never-retried',
  automaticAttempts: 0,
  manualAttempts: 0,
  nextAutomaticRetryAt: null,
  failedAt: '2026-11-26T10:00:00.000Z',
  lastAttemptAt: null,
  resolvedAt: null,
};

describe('Bulk retry without the bulk-retry permission', () => {
  it('shows neither the bulk retry buttons nor the row checkboxes', async () => {
    const api = createEmptyFailedMessagesApi();
    api.listMessages.mockResolvedValue({ items: [message], totalCount: 1 });
    const asked = await renderPageWithout(
      'failed-messages.message.bulk-retry',
      api,
    );

    expect(await screen.findByText('+4915112345678')).toBeInTheDocument();
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

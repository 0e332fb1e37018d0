import { screen, waitFor } from '@testing-library/react';
import {
  createFakeFailedMessagesApi,
  fakeMessageDetail,
} from '../../__testUtils__/fakeFailedMessagesApi';
import { renderPageWithout } from '../../__testUtils__/renderPageWithout';

// A file of its own: usePermission caches answers for the whole test file.

describe('Dismissing without the retry permission, as a manager', () => {
  it('offers neither Dismiss nor Reopen', async () => {
    const api = createFakeFailedMessagesApi();
    api.getMessage.mockResolvedValue({
      ...fakeMessageDetail,
      state: 'dismissed',
      dismissal: {
        by: 'user:default/alex-agent',
        at: '2026-11-27T09:00:00.000Z',
        reason: 'Reached by phone',
      },
    });
    const asked = await renderPageWithout(
      'failed-messages.message.retry',
      api,
      { initialSearch: '?message=msg-1' },
    );

    expect(
      await screen.findByText(/by user:default\/alex-agent: Reached by phone/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(asked).toContain('failed-messages.message.retry'),
    );
    expect(
      screen.queryByRole('button', { name: 'Reopen' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Dismiss' }),
    ).not.toBeInTheDocument();
  });
});

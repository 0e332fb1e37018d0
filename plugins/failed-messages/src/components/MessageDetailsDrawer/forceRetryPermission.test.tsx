import { screen, waitFor } from '@testing-library/react';
import {
  createFakeFailedMessagesApi,
  fakeMessageDetail,
} from '../../__testUtils__/fakeFailedMessagesApi';
import { renderPageWithout } from '../../__testUtils__/renderPageWithout';

// A file of its own: usePermission caches answers for the whole test file.

describe('Overriding retry safety without the force-retry permission', () => {
  it('offers no forced retry, only a disabled "Retry now", and no settling by hand', async () => {
    const api = createFakeFailedMessagesApi();
    api.getMessage.mockResolvedValue({
      ...fakeMessageDetail,
      category: 'business-logic',
      // Its last retry's outcome is unknown too: settling it needs the same.
      retryStatus: 'outcome-unknown',
      explanation: {
        ...fakeMessageDetail.explanation,
        manualRetry: 'never',
        rule: 'The customer must write to the business first.',
      },
      eligibility: {
        canRetry: false,
        reason: 'A business rule blocked this message.',
        earliestAt: null,
        forceable: true,
      },
    });
    const asked = await renderPageWithout(
      'failed-messages.message.force-retry',
      api,
      { initialSearch: '?message=msg-1' },
    );

    expect(
      await screen.findByText('A business rule blocked this message.'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(asked).toContain('failed-messages.message.force-retry'),
    );
    // Lets the answer reach the drawer.
    await new Promise(resolve => setTimeout(resolve, 50));

    // The agent sees why, and the rule, but no way around it.
    expect(
      screen.getByText('The customer must write to the business first.'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Force retry' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry now' })).toBeDisabled();
    expect(api.retryMessage).not.toHaveBeenCalled();
    for (const settle of ['Mark delivered', 'Mark failed']) {
      expect(
        screen.queryByRole('button', { name: settle }),
      ).not.toBeInTheDocument();
    }
  });
});

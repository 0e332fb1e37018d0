import { FailedMessageDetail } from '@msgops/plugin-failed-messages-common';
import { screen, within } from '@testing-library/react';
import { createEmptyFailedMessagesApi } from '../../__testUtils__/emptyFailedMessagesApi';
import {
  fakeMessageDetail,
  metaErrorCodesUrl,
} from '../../__testUtils__/fakeFailedMessagesApi';
import { renderDetailsDrawer } from '../../__testUtils__/renderDetailsDrawer';

async function openDetails(message: FailedMessageDetail) {
  const api = createEmptyFailedMessagesApi();
  api.getMessage.mockResolvedValue(message);
  await renderDetailsDrawer(api, message.id);
  return screen.findByRole('region', { name: 'What happened' });
}

describe("Meta's documentation in the message details", () => {
  it("links a code of Meta's to its documentation, in a new tab", async () => {
    const whatHappened = await openDetails(fakeMessageDetail);

    expect(
      within(whatHappened).getByText(fakeMessageDetail.explanation.meaning),
    ).toBeInTheDocument();
    const link = within(whatHappened).getByRole('link', {
      name: /^Meta's documentation for 130429\b.*Opens in a new window$/,
    });
    expect(link).toHaveAttribute('href', metaErrorCodesUrl);
    expect(link).toHaveAttribute('target', '_blank');
    expect(link).toHaveAttribute('rel', 'noopener');
  });

  it('links nowhere for a code of our own', async () => {
    const whatHappened = await openDetails({
      ...fakeMessageDetail,
      error: {
        code: 'network-error',
        title: 'Could not reach WhatsApp',
        message: null,
        details: null,
      },
      explanation: {
        meaning: 'The connection failed.',
        action: 'Wait.',
        docsUrl: null,
        manualRetry: 'after-wait',
        rule: 'The connection to WhatsApp must work again.',
      },
    });

    expect(
      within(whatHappened).getByText('The connection failed.'),
    ).toBeInTheDocument();
    expect(within(whatHappened).queryByRole('link')).not.toBeInTheDocument();
  });
});

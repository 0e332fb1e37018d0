import { mockApis } from '@backstage/test-utils';
import { FailedMessageDetail } from '@msgops/plugin-failed-messages-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  createFakeFailedMessagesApi,
  fakeMessageDetail,
} from '../../__testUtils__/fakeFailedMessagesApi';
import { renderDetailsDrawer } from '../../__testUtils__/renderDetailsDrawer';
import { failedMessagesTranslationRef } from '../../translation';
import { formatExactTime } from '../../utils/formatTime';
import { statusText } from '../MessageList/MessageFields';

const deliveredAt = '2026-11-27T09:00:00.000Z';
const STALE =
  'A newer message with the same template has since reached this recipient; resending this one would be stale.';

const resolvedByNewer: FailedMessageDetail = {
  ...fakeMessageDetail,
  state: 'resolved',
  resolution: {
    cause: 'newer-delivery',
    at: deliveredAt,
    newerMessageId: 'msg-2',
  },
  eligibility: {
    canRetry: false,
    reason: STALE,
    earliestAt: null,
    forceable: true,
  },
  stateChanges: [
    { change: 'resolved', actor: null, at: deliveredAt, reason: null },
  ],
};

describe('A message resolved because a newer message reached the recipient', () => {
  it('says why and when, shows it in the history and lets an admin force a retry with a reason', async () => {
    const api = createFakeFailedMessagesApi();
    api.getMessage.mockResolvedValue(resolvedByNewer);
    await renderDetailsDrawer(api, 'msg-1');

    const time = formatExactTime(deliveredAt);
    expect(
      await screen.findByText(
        `Resolved ${time}: a newer message with the same template reached this recipient, so resending this one would be stale.`,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(STALE)).toBeInTheDocument();
    const history = screen.getByRole('list', { name: 'Retry attempts' });
    expect(
      within(history).getByText(
        'Resolved: a newer message reached the recipient',
      ),
    ).toBeInTheDocument();
    expect(within(history).getByText(time)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Force retry' }));
    const dialog = screen.getByRole('dialog', { name: 'Force this retry?' });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'The customer asked for this offer again',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Retry anyway' }),
    );
    expect(api.retryMessage).toHaveBeenCalledWith('msg-1', {
      force: true,
      reason: 'The customer asked for this offer again',
    });
  });
});

describe('The list', () => {
  it('says a message was resolved by a newer delivery in its status', () => {
    const { t } = mockApis
      .translation()
      .getTranslation(failedMessagesTranslationRef);
    expect(statusText(t, resolvedByNewer)).toBe(
      'Retry failed · Resolved (newer message delivered)',
    );
  });
});

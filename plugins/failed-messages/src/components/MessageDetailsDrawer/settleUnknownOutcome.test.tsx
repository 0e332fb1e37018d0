import {
  FailedMessageDetail,
  RetryAttempt,
} from '@msgops/plugin-failed-messages-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  createFakeFailedMessagesApi,
  fakeMessageDetail,
} from '../../__testUtils__/fakeFailedMessagesApi';
import { renderDetailsDrawer } from '../../__testUtils__/renderDetailsDrawer';
import { formatExactTime } from '../../utils/formatTime';

const unknownAttempt: RetryAttempt = {
  id: 'attempt-1',
  attemptNumber: 1,
  trigger: 'manual',
  actor: 'user:default/alex-agent',
  startedAt: '2026-11-26T12:00:00.000Z',
  finishedAt: '2026-11-26T12:00:30.000Z',
  outcome: 'outcome-unknown',
  error: {
    code: 'unknown-outcome',
    title: 'Outcome unknown',
    message: null,
    details: null,
  },
  providerMessageId: null,
  reason: null,
  forced: false,
  delivery: null,
  statuses: [],
};

const unknownOutcome: FailedMessageDetail = {
  ...fakeMessageDetail,
  retryStatus: 'outcome-unknown',
  eligibility: {
    canRetry: false,
    reason: 'WhatsApp may have taken the last retry.',
    earliestAt: null,
    forceable: true,
  },
  attempts: [unknownAttempt],
};

async function renderDrawer(message: FailedMessageDetail) {
  const api = createFakeFailedMessagesApi();
  api.getMessage.mockResolvedValue(message);
  api.settleMessage.mockResolvedValue(message);
  const { onRetried } = await renderDetailsDrawer(api, message.id);
  return { api, onRetried };
}

describe('Settling an unknown outcome by hand', () => {
  it('marks the message failed once a reason is given', async () => {
    const { api, onRetried } = await renderDrawer(unknownOutcome);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Mark failed' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Mark this message failed?',
    });
    const confirm = within(dialog).getByRole('button', { name: 'Confirm' });
    expect(confirm).toBeDisabled();
    const reason = within(dialog).getByRole('textbox', { name: /Reason/ });
    await userEvent.type(reason, '   ');
    expect(confirm).toBeDisabled();
    await userEvent.type(reason, 'Not in the message log');
    await userEvent.click(confirm);

    expect(api.settleMessage).toHaveBeenCalledWith('msg-1', {
      outcome: 'failed',
      reason: 'Not in the message log',
    });
    expect(onRetried).toHaveBeenCalled();
  });

  it('settles nothing when the confirmation is cancelled', async () => {
    const { api } = await renderDrawer(unknownOutcome);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Mark delivered' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Mark this message delivered?',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Customer confirmed',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );

    expect(api.settleMessage).not.toHaveBeenCalled();
  });

  it('offers no settling for a message whose outcome is known', async () => {
    await renderDrawer(fakeMessageDetail);

    expect(
      await screen.findByText(fakeMessageDetail.explanation.meaning),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Mark delivered' }),
    ).not.toBeInTheDocument();
  });

  it('shows in the timeline who settled the attempt, when, as what and why', async () => {
    const settledAt = '2026-11-27T09:15:00.000Z';
    await renderDrawer({
      ...fakeMessageDetail,
      retryStatus: 'retry-succeeded',
      attempts: [
        {
          ...unknownAttempt,
          outcome: 'succeeded',
          settlement: {
            outcome: 'delivered',
            actor: 'user:default/ada-admin',
            at: settledAt,
            reason: 'Customer confirmed by phone',
          },
        },
      ],
    });

    const timeline = await screen.findByRole('list', {
      name: 'Retry attempts',
    });
    expect(
      within(timeline).getByText(
        `Settled by hand as delivered ${formatExactTime(
          settledAt,
        )} by user:default/ada-admin: Customer confirmed by phone`,
      ),
    ).toBeInTheDocument();
  });
});

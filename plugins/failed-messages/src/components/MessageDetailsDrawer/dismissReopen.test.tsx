import { ResponseError } from '@backstage/errors';
import { FailedMessageDetail } from '@msgops/plugin-failed-messages-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  createFakeFailedMessagesApi,
  fakeMessageDetail,
} from '../../__testUtils__/fakeFailedMessagesApi';
import { renderDetailsDrawer } from '../../__testUtils__/renderDetailsDrawer';
import { formatExactTime } from '../../utils/formatTime';

const AGENT = 'user:default/alex-agent';
const dismissedAt = '2026-11-27T09:00:00.000Z';
const reopenedAt = '2026-11-27T10:00:00.000Z';

const dismissed: FailedMessageDetail = {
  ...fakeMessageDetail,
  state: 'dismissed',
  dismissal: { by: AGENT, at: dismissedAt, reason: 'Reached by phone' },
  eligibility: {
    canRetry: false,
    reason: 'Dismissed: reopen it before retrying.',
    earliestAt: null,
  },
  stateChanges: [
    {
      change: 'dismissed',
      actor: AGENT,
      at: dismissedAt,
      reason: 'Reached by phone',
    },
  ],
};

async function renderDrawer(message: FailedMessageDetail) {
  const api = createFakeFailedMessagesApi();
  api.getMessage.mockResolvedValue(message);
  api.dismissMessage.mockResolvedValue(dismissed);
  api.reopenMessage.mockResolvedValue(fakeMessageDetail);
  const { onRetried } = await renderDetailsDrawer(api, message.id);
  return { api, onRetried };
}

describe('Dismissing and reopening a failure from its details', () => {
  it('dismisses an open failure once a reason is given', async () => {
    const { api, onRetried } = await renderDrawer(fakeMessageDetail);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Dismiss' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Dismiss this failure?',
    });
    const confirm = within(dialog).getByRole('button', { name: 'Dismiss' });
    expect(confirm).toBeDisabled();
    const reason = within(dialog).getByRole('textbox', { name: /Reason/ });
    await userEvent.type(reason, '   ');
    expect(confirm).toBeDisabled();
    await userEvent.type(reason, 'Duplicate of an earlier send');
    await userEvent.click(confirm);

    expect(api.dismissMessage).toHaveBeenCalledWith(
      'msg-1',
      'Duplicate of an earlier send',
    );
    expect(onRetried).toHaveBeenCalled();
  });

  it('shows the dismissal and its history, and reopens it', async () => {
    const history: FailedMessageDetail = {
      ...dismissed,
      stateChanges: [
        ...dismissed.stateChanges,
        { change: 'reopened', actor: AGENT, at: reopenedAt, reason: null },
        {
          change: 'dismissed',
          actor: AGENT,
          at: '2026-11-27T11:00:00.000Z',
          reason: 'Reached by phone',
        },
      ],
    };
    const { api, onRetried } = await renderDrawer(history);

    expect(
      await screen.findByText(
        `Dismissed ${formatExactTime(
          dismissedAt,
        )} by ${AGENT}: Reached by phone`,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/State: Dismissed/)).toBeInTheDocument();
    const timeline = screen.getByRole('list', { name: 'Retry attempts' });
    const entries = within(timeline).getAllByRole('listitem');
    expect(entries.map(entry => entry.firstChild?.textContent)).toEqual([
      'Dismissed',
      'Reopened',
      'Dismissed',
    ]);
    expect(entries[0]).toHaveTextContent('Reason: Reached by phone');
    expect(entries[1]).toHaveTextContent(
      `${formatExactTime(reopenedAt)} by ${AGENT}`,
    );
    expect(
      screen.queryByRole('button', { name: 'Dismiss' }),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Reopen' }));

    expect(api.reopenMessage).toHaveBeenCalledWith('msg-1');
    expect(onRetried).toHaveBeenCalled();
  });

  it('says why the backend refused, e.g. a retry in progress', async () => {
    const { api } = await renderDrawer(fakeMessageDetail);
    api.dismissMessage.mockRejectedValue(
      await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'ConflictError',
              message: 'A retry of this message is in progress',
            },
            response: { statusCode: 409 },
          }),
          { status: 409, headers: { 'Content-Type': 'application/json' } },
        ) as any,
      ),
    );

    await userEvent.click(
      await screen.findByRole('button', { name: 'Dismiss' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Dismiss this failure?',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Test message',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Dismiss' }),
    );

    expect(
      await screen.findByText(/Could not dismiss the message: .*in progress/),
    ).toBeInTheDocument();
  });
});

import {
  FailedMessageDetail,
  RetryAttempt,
} from '@msgops/plugin-failed-messages-common';
import { screen, within } from '@testing-library/react';
import {
  createFakeFailedMessagesApi,
  fakeMessageDetail,
} from '../../__testUtils__/fakeFailedMessagesApi';
import { renderDetailsDrawer } from '../../__testUtils__/renderDetailsDrawer';
import { formatExactTime } from '../../utils/formatTime';

const ADMIN = 'user:default/ada-admin';

const forcedResend: RetryAttempt = {
  id: 'attempt-1',
  attemptNumber: 1,
  trigger: 'manual',
  actor: ADMIN,
  startedAt: '2026-11-26T12:00:00.000Z',
  finishedAt: '2026-11-26T12:00:02.000Z',
  outcome: 'succeeded',
  error: null,
  providerMessageId: 'wamid.resend',
  reason: 'The customer wrote to us this morning',
  forced: true,
  delivery: { status: 'read', at: '2026-11-26T12:05:00.000Z' },
  statuses: [
    { status: 'sent', at: '2026-11-26T12:00:03.000Z' },
    { status: 'delivered', at: '2026-11-26T12:01:00.000Z' },
    { status: 'read', at: '2026-11-26T12:05:00.000Z' },
  ],
};

const automaticTry: RetryAttempt = {
  ...forcedResend,
  id: 'attempt-0',
  attemptNumber: 0,
  trigger: 'automatic',
  actor: null,
  startedAt: '2026-11-26T06:00:00.000Z',
  finishedAt: '2026-11-26T06:00:01.000Z',
  outcome: 'failed',
  providerMessageId: null,
  reason: null,
  forced: false,
  delivery: null,
  statuses: [],
  error: {
    code: '130429',
    title: 'Rate limit hit',
    message: null,
    details: null,
  },
};

/** The details of a message with these attempts, and their timeline. */
async function renderHistory(attempts: RetryAttempt[]) {
  const api = createFakeFailedMessagesApi();
  const message: FailedMessageDetail = { ...fakeMessageDetail, attempts };
  api.getMessage.mockResolvedValue(message);
  await renderDetailsDrawer(api, message.id);
  return screen.findByRole('list', { name: 'Retry attempts' });
}

describe('The history of a message', () => {
  it('shows why and by whom each retry was made, whether forced, and what WhatsApp said', async () => {
    const timeline = await renderHistory([automaticTry, forcedResend]);
    const [automatic, forced] = within(timeline).getAllByRole('listitem');
    expect(automatic).toHaveTextContent('by the automatic retry');
    expect(automatic).not.toHaveTextContent('Forced');
    expect(automatic).not.toHaveTextContent('Accepted by WhatsApp');
    expect(forced).toHaveTextContent(
      `${formatExactTime(forcedResend.startedAt)} by ${ADMIN}`,
    );
    expect(forced).toHaveTextContent('Forced: sent despite a warning');
    expect(forced).toHaveTextContent(
      'Reason: The customer wrote to us this morning',
    );
    expect(forced).toHaveTextContent(
      `Accepted by WhatsApp ${formatExactTime(forcedResend.finishedAt!)}` +
        ` → Sent ${formatExactTime('2026-11-26T12:00:03.000Z')}` +
        ` → Delivered ${formatExactTime('2026-11-26T12:01:00.000Z')}` +
        ` → Read ${formatExactTime('2026-11-26T12:05:00.000Z')}`,
    );
  });

  it('shows a resend Meta failed after sending it, each step with its time', async () => {
    const timeline = await renderHistory([
      {
        ...forcedResend,
        delivery: { status: 'failed', at: '2026-11-26T12:02:00.000Z' },
        statuses: [
          { status: 'sent', at: '2026-11-26T12:00:03.000Z' },
          { status: 'failed', at: '2026-11-26T12:02:00.000Z' },
        ],
      },
    ]);

    const [resend] = within(timeline).getAllByRole('listitem');
    expect(resend).toHaveTextContent(
      `Accepted by WhatsApp ${formatExactTime(forcedResend.finishedAt!)}` +
        ` → Sent ${formatExactTime('2026-11-26T12:00:03.000Z')}` +
        ` → Failed ${formatExactTime('2026-11-26T12:02:00.000Z')}`,
    );
    expect(resend).not.toHaveTextContent('Delivered');
  });
});

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  mockBreakpoint,
  renderInTestApp,
} from '@backstage/test-utils';
import { FailedMessageDetail } from '@msgops/plugin-failed-messages-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { failedMessagesApiRef } from '../../api';
import { createEmptyFailedMessagesApi } from '../../__testUtils__/emptyFailedMessagesApi';
import { metaErrorCodesUrl } from '../../__testUtils__/fakeFailedMessagesApi';
import { failedMessagesTranslationRef } from '../../translation';
import { formatExactTime } from '../../utils/formatTime';
import { eligibilityText } from './eligibilityText';
import { MessageDetailsDrawer } from './MessageDetailsDrawer';

// The app's English messages, as the drawer gets them.
const { t } = mockApis
  .translation()
  .getTranslation(failedMessagesTranslationRef);

const optedOut: FailedMessageDetail = {
  id: 'msg-2',
  channel: 'whatsapp',
  externalId: null,
  recipient: '+4917000000000',
  campaign: null,
  templateName: null,
  error: {
    code: '131050',
    title: 'User stopped marketing messages',
    message: null,
    details: null,
  },
  category: 'non-retryable',
  retryStatus: 'never-retried',
  automaticAttempts: 0,
  manualAttempts: 0,
  nextAutomaticRetryAt: null,
  failedAt: '2026-11-26T10:00:00.000Z',
  lastAttemptAt: null,
  resolvedAt: null,
  state: 'open',
  dismissal: null,
  resolution: null,
  businessNumber: null,
  explanation: {
    meaning: 'The customer opted out of marketing messages.',
    action: 'Do not resend.',
    docsUrl: metaErrorCodesUrl,
    manualRetry: 'never',
    rule: 'The customer must opt back in to marketing messages.',
  },
  eligibility: {
    canRetry: false,
    reason: 'The recipient opted out of marketing messages.',
    earliestAt: null,
  },
  payload: null,
  attempts: [],
  stateChanges: [],
};

describe('MessageDetailsDrawer', () => {
  it('explains why a message cannot be retried', () => {
    expect(eligibilityText(t, optedOut)).toBe(
      'The recipient opted out of marketing messages.',
    );
  });

  describe('says when the automatic retry sends a message again', () => {
    const waiting: FailedMessageDetail = {
      ...optedOut,
      category: 'retryable',
      eligibility: { canRetry: true, reason: null, earliestAt: null },
      nextAutomaticRetryAt: '2020-01-01T06:00:00.000Z',
    };
    const nextRunAt = '2030-01-02T06:00:00.000Z';

    it('at the next run once its wait has passed', () => {
      expect(eligibilityText(t, waiting, { enabled: true, nextRunAt })).toBe(
        `Can be retried. The next automatic run retries it, on ${formatExactTime(
          nextRunAt,
        )}.`,
      );
    });

    it('at the first run after a wait that ends later', () => {
      const later = '2031-03-01T06:00:00.000Z';
      expect(
        eligibilityText(
          t,
          { ...waiting, nextAutomaticRetryAt: later },
          { enabled: true, nextRunAt },
        ),
      ).toBe(
        `Can be retried. The first automatic run after ${formatExactTime(
          later,
        )} retries it.`,
      );
    });

    it('not at all while the automatic retry is off', () => {
      expect(
        eligibilityText(t, waiting, { enabled: false, nextRunAt: null }),
      ).toBe('Can be retried. No automatic retry is scheduled.');
    });
  });

  it('hides Retry now from those who may not retry', async () => {
    const api = createEmptyFailedMessagesApi();
    api.getMessage.mockResolvedValue(optedOut);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [failedMessagesApiRef, api],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.DENY }),
          ],
        ]}
      >
        <MessageDetailsDrawer
          messageId="msg-2"
          onClose={jest.fn()}
          onRetried={jest.fn()}
        />
      </TestApiProvider>,
    );

    expect(
      await screen.findByText(optedOut.explanation.meaning),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/The recipient opted out of marketing messages/),
    ).toBeInTheDocument();
    expect(screen.getByText('No retry attempts yet.')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Retry now' }),
    ).not.toBeInTheDocument();
  });

  describe('layout', () => {
    const api = createEmptyFailedMessagesApi();
    api.getMessage.mockResolvedValue(optedOut);

    async function openDetails(onClose = jest.fn()) {
      await renderInTestApp(
        <TestApiProvider
          apis={[
            [failedMessagesApiRef, api],
            [permissionApiRef, mockApis.permission()],
          ]}
        >
          <MessageDetailsDrawer
            messageId="msg-2"
            onClose={onClose}
            onRetried={jest.fn()}
          />
        </TestApiProvider>,
      );
      return screen.findByRole('dialog', {
        name: 'Message to +4917000000000',
      });
    }

    afterEach(() => mockBreakpoint({ matches: false }));

    it('opens beside the list on wide screens', async () => {
      const details = await openDetails();

      expect(details).toHaveStyle({ width: '40rem' });
    });

    it('covers the screen on phones and closes by its button', async () => {
      mockBreakpoint({ matches: true });
      const onClose = jest.fn();
      const details = await openDetails(onClose);

      expect(details).toHaveStyle({ width: '100%' });
      await userEvent.click(
        within(details).getByRole('button', { name: 'Close details' }),
      );
      expect(onClose).toHaveBeenCalled();
    });
  });
});

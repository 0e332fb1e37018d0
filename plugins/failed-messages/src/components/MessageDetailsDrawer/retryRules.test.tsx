import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FailedMessageDetail } from '@msgops/plugin-failed-messages-common';
import { HttpResponse, http } from 'msw';
import {
  baseUrl,
  rateLimited,
  rateLimitedDetail,
  renderPage,
  setUpFakeBackend,
} from '../../__testUtils__/fakeBackend';

const { server, serve } = setUpFakeBackend();

const EXPIRED_RULE =
  'Nothing must change to reach the customer, but the message must still be worth sending.';

/** A Business Logic failure whose rule lets a person resend it at once. */
const expired: FailedMessageDetail = {
  ...rateLimitedDetail,
  category: 'business-logic',
  error: {
    code: '131043',
    title: 'Message expired',
    message: null,
    details: null,
  },
  explanation: {
    ...rateLimitedDetail.explanation,
    manualRetry: 'allowed',
    rule: EXPIRED_RULE,
  },
  eligibility: {
    canRetry: true,
    reason: null,
    earliestAt: null,
    forceable: false,
  },
};

function serveDetail(detail: FailedMessageDetail) {
  const retryBodies: unknown[] = [];
  server.use(
    http.get(`${baseUrl}/messages/msg-1`, () => HttpResponse.json(detail)),
    http.post(`${baseUrl}/messages/msg-1/retry`, async ({ request }) => {
      retryBodies.push(await request.json());
      return HttpResponse.json({
        message: rateLimited,
        attempt: rateLimitedDetail.attempts[0],
      });
    }),
  );
  return retryBodies;
}

describe("A code's manual-retry rule in the details", () => {
  it('shows the rule of the message’s code', async () => {
    serve();
    await renderPage('?message=msg-1');
    const rule = await screen.findByRole('region', {
      name: 'Before a resend can work',
    });
    expect(rule).toHaveTextContent(rateLimitedDetail.explanation.rule);
  });

  it('resends a message whose rule allows it only after a confirmation that repeats the rule', async () => {
    serve();
    const retryBodies = serveDetail(expired);
    await renderPage('?message=msg-1');

    await userEvent.type(
      await screen.findByRole('textbox', { name: 'Reason' }),
      'Still relevant',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    const confirmation = screen.getByRole('dialog', {
      name: 'Resend this message?',
    });
    expect(confirmation).toHaveTextContent(EXPIRED_RULE);

    // Cancelling sends nothing.
    await userEvent.click(
      within(confirmation).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Resend this message?' }),
      ).not.toBeInTheDocument(),
    );
    expect(retryBodies).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    await userEvent.click(
      within(
        screen.getByRole('dialog', { name: 'Resend this message?' }),
      ).getByRole('button', { name: 'Resend' }),
    );
    await waitFor(() =>
      expect(retryBodies).toEqual([{ force: false, reason: 'Still relevant' }]),
    );
  });

  it('retries a message after its wait without asking, as before', async () => {
    serve();
    const retryBodies = serveDetail(rateLimitedDetail);
    await renderPage('?message=msg-1');
    await userEvent.click(
      await screen.findByRole('button', { name: 'Retry now' }),
    );
    await waitFor(() => expect(retryBodies).toEqual([{ force: false }]));
    expect(
      screen.queryByRole('dialog', { name: 'Resend this message?' }),
    ).not.toBeInTheDocument();
  });
});

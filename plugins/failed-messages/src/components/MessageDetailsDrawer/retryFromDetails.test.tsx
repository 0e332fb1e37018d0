import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import {
  baseUrl,
  rateLimited,
  rateLimitedDetail,
  renderPage,
  setUpFakeBackend,
} from '../../__testUtils__/fakeBackend';

const { server, serve } = setUpFakeBackend();

describe('Message details on the page', () => {
  it('opens the details of a message', async () => {
    serve();
    await renderPage();

    await userEvent.click(
      await screen.findByRole('row', {
        name: /Details of the message to \+4915112345678/,
      }),
    );

    expect(
      await screen.findByText(rateLimitedDetail.explanation.meaning),
    ).toBeInTheDocument();
    expect(
      screen.getByText(rateLimitedDetail.explanation.action),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/The next automatic run retries it, on/),
    ).toBeInTheDocument();
    const timeline = screen.getByRole('list', { name: 'Retry attempts' });
    expect(
      within(timeline).getByText(/Attempt 1 · Automatic · Failed/),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Current search')).toHaveTextContent(
      'message=msg-1',
    );
  });

  it('forces the retry of a business-logic failure after confirmation', async () => {
    serve();
    let retryBody: unknown;
    server.use(
      http.get(`${baseUrl}/messages/msg-1`, () =>
        HttpResponse.json({
          ...rateLimitedDetail,
          category: 'business-logic',
          eligibility: {
            canRetry: false,
            reason: 'A business rule blocked this message.',
            earliestAt: null,
            forceable: true,
          },
        }),
      ),
      http.post(`${baseUrl}/messages/msg-1/retry`, async ({ request }) => {
        retryBody = await request.json();
        return HttpResponse.json({
          message: rateLimited,
          attempt: rateLimitedDetail.attempts[0],
        });
      }),
    );
    await renderPage('?message=msg-1');

    await userEvent.click(
      await screen.findByRole('button', { name: 'Force retry' }),
    );
    expect(retryBody).toBeUndefined();
    const confirmation = screen.getByRole('dialog', {
      name: 'Force this retry?',
    });
    expect(confirmation).toHaveTextContent(
      'A business rule blocked this message. A forced retry sends',
    );
    // A forced retry needs a reason before it can be sent.
    expect(
      within(confirmation).getByRole('button', { name: 'Retry anyway' }),
    ).toBeDisabled();
    await userEvent.type(
      within(confirmation).getByRole('textbox', { name: 'Reason' }),
      'daily limit raised',
    );
    await userEvent.click(
      within(confirmation).getByRole('button', { name: 'Retry anyway' }),
    );

    await waitFor(() =>
      expect(retryBody).toEqual({ force: true, reason: 'daily limit raised' }),
    );
  });

  it('retries a message with an optional reason and shows the new attempt', async () => {
    serve();
    const retryBodies: unknown[] = [];
    const newAttempt = {
      ...rateLimitedDetail.attempts[0],
      id: 'att-2',
      attemptNumber: 2,
      trigger: 'manual' as const,
      actor: 'user:default/alice',
      outcome: 'succeeded' as const,
      error: null,
    };
    server.use(
      http.get(`${baseUrl}/messages/msg-1`, () =>
        HttpResponse.json({
          ...rateLimitedDetail,
          attempts:
            retryBodies.length > 0
              ? [...rateLimitedDetail.attempts, newAttempt]
              : rateLimitedDetail.attempts,
        }),
      ),
      http.post(`${baseUrl}/messages/msg-1/retry`, async ({ request }) => {
        retryBodies.push(await request.json());
        return HttpResponse.json({ message: rateLimited, attempt: newAttempt });
      }),
    );
    await renderPage('?message=msg-1');

    await userEvent.type(
      await screen.findByRole('textbox', { name: 'Reason' }),
      '  customer asked again ',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Retry now' }));

    const timeline = await screen.findByRole('list', {
      name: 'Retry attempts',
    });
    expect(
      await within(timeline).findByText(/Attempt 2 · Manual · Succeeded/),
    ).toBeInTheDocument();
    expect(retryBodies).toEqual([
      { force: false, reason: 'customer asked again' },
    ]);
    expect(screen.getByRole('textbox', { name: 'Reason' })).toHaveValue('');
  });
});

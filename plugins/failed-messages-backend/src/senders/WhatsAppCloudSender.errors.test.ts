import { SendResult } from '@msgops/plugin-failed-messages-node';
import {
  ACCESS_TOKEN,
  ACCOUNTS,
  graphErrorBody,
  REQUEST,
  useGraphApi,
} from '../__testUtils__/graphApi';
import {
  UnknownSendOutcomeError,
  WhatsAppCloudSender,
} from './WhatsAppCloudSender';

function expectNoAccessToken(result: SendResult) {
  expect(JSON.stringify(result)).not.toContain(ACCESS_TOKEN);
}

describe('WhatsAppCloudSender reading what Graph answers', () => {
  const graph = useGraphApi();
  const send = () =>
    new WhatsAppCloudSender(graph.settings(), ACCOUNTS).send(REQUEST);

  it.each([
    {
      kind: 'retryable',
      status: 400,
      body: graphErrorBody(
        130429,
        '(#130429) Rate limit hit',
        'Message failed to send because there were too many messages sent from this phone number in a short period of time',
      ),
      error: {
        code: '130429',
        title: 'Rate limit hit',
        message: '(#130429) Rate limit hit',
        details:
          'Message failed to send because there were too many messages sent from this phone number in a short period of time',
      },
    },
    {
      kind: 'non-retryable',
      status: 400,
      body: graphErrorBody(
        131026,
        '(#131026) Message undeliverable',
        'Message failed to send because the recipient is not a WhatsApp user',
      ),
      error: {
        code: '131026',
        title: 'Message undeliverable',
        message: '(#131026) Message undeliverable',
        details:
          'Message failed to send because the recipient is not a WhatsApp user',
      },
    },
    {
      kind: 'business-logic',
      status: 400,
      body: graphErrorBody(
        131049,
        '(#131049) This message was not delivered to maintain healthy ecosystem engagement.',
        'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
      ),
      error: {
        code: '131049',
        title:
          'This message was not delivered to maintain healthy ecosystem engagement.',
        message:
          '(#131049) This message was not delivered to maintain healthy ecosystem engagement.',
        details:
          'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
      },
    },
    {
      // Token errors carry neither a "(#code)" title nor error_data.
      kind: 'account',
      status: 401,
      body: graphErrorBody(
        190,
        'Error validating access token: Session has expired on Tuesday, 01-Sep-26 09:00:00 PDT.',
      ),
      error: {
        code: '190',
        title: null,
        message:
          'Error validating access token: Session has expired on Tuesday, 01-Sep-26 09:00:00 PDT.',
        details: null,
      },
    },
    {
      // The Graph body wins over the HTTP status, which Meta calls unreliable.
      kind: 'service unavailable, sent with HTTP 500',
      status: 500,
      body: graphErrorBody(2, '(#2) Service temporarily unavailable'),
      error: {
        code: '2',
        title: 'Service temporarily unavailable',
        message: '(#2) Service temporarily unavailable',
        details: null,
      },
    },
  ])(
    'reads Graph error $error.code ($kind)',
    async ({ status, body, error }) => {
      graph.answer(() => ({ status, json: body }));

      const result = await send();

      expect(result).toEqual({ outcome: 'failed', error });
    },
  );

  it('reports a 500 without a Graph body as http-5xx', async () => {
    graph.answer(() => ({
      status: 500,
      text: '<html><body>Internal Server Error</body></html>',
      contentType: 'text/html',
    }));

    const result = await send();

    expect(result).toEqual({
      outcome: 'failed',
      error: {
        code: 'http-5xx',
        title: null,
        message: 'WhatsApp answered HTTP 500 without error details',
        details: null,
      },
    });
  });

  it.each([502, 503, 504])(
    'throws UnknownSendOutcomeError for a gateway %i without a Graph body',
    async status => {
      graph.answer(() => ({
        status,
        text: `<html><body>${status}</body></html>`,
        contentType: 'text/html',
      }));

      const sending = send();

      await expect(sending).rejects.toThrow(
        `WhatsApp answered HTTP ${status} without error details: the message may have been sent`,
      );
    },
  );

  it('reports a 4xx without a Graph body as http-<status>', async () => {
    graph.answer(() => ({ status: 400, text: '' }));

    const result = await send();

    expect(result).toEqual({
      outcome: 'failed',
      error: {
        code: 'http-400',
        title: 'HTTP 400',
        message: 'WhatsApp answered HTTP 400 without error details',
        details: null,
      },
    });
  });

  it.each([
    { kind: 'a body that is not JSON', body: 'OK' },
    {
      kind: 'no message id',
      body: JSON.stringify({ messaging_product: 'whatsapp', messages: [] }),
    },
  ])(
    'throws UnknownSendOutcomeError for a 200 with $kind',
    async ({ body }) => {
      graph.answer(() => ({ status: 200, text: body }));

      const sending = send();

      await expect(sending).rejects.toThrow(UnknownSendOutcomeError);
      await expect(sending).rejects.toThrow(
        'WhatsApp answered 200 without a message id: the message may have been sent',
      );
    },
  );

  it('never includes the access token in an error, even when the answer echoes it', async () => {
    graph.answer(({ authorization }) => ({
      status: 401,
      json: graphErrorBody(
        190,
        `(#190) Invalid OAuth access token ${ACCESS_TOKEN}`,
        `Authorization: ${authorization}`,
      ),
    }));

    const result = await send();

    expectNoAccessToken(result);
    expect(result).toEqual({
      outcome: 'failed',
      error: {
        code: '190',
        title: 'Invalid OAuth access token [redacted]',
        message: '(#190) Invalid OAuth access token [redacted]',
        details: 'Authorization: Bearer [redacted]',
      },
    });
  });
});

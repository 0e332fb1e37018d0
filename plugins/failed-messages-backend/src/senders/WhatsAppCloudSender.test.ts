import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { SendResult } from '@msgops/plugin-failed-messages-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { WhatsAppSettings } from '../config';
import { WhatsAppAccountSettings } from '../numbers/readWhatsAppAccounts';
import {
  UnknownSendOutcomeError,
  WhatsAppCloudSender,
} from './WhatsAppCloudSender';

const ACCESS_TOKEN = 'EAAGtestAccessToken123';

const SETTINGS: WhatsAppSettings = {
  // Trailing and leading slashes must not double up in the URL.
  baseUrl: 'https://graph.example.test/',
  apiVersion: '/v23.0/',
  timeoutMs: 1000,
};

const NUMBER_ID = '106540352242922';

const ACCOUNTS: WhatsAppAccountSettings[] = [
  {
    id: 'default',
    wabaId: '102290129340398',
    accessToken: ACCESS_TOKEN,
    numbers: [
      { phoneNumberId: NUMBER_ID, label: 'Support', ratePerSecond: 80 },
    ],
  },
];

const ENDPOINT = 'https://graph.example.test/v23.0/106540352242922/messages';

const TEXT_PAYLOAD = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '+16505551234',
  type: 'text',
  text: { body: 'Your order has shipped' },
};

const REQUEST = {
  messageId: 'fm-0001',
  recipient: '+16505551234',
  phoneNumberId: NUMBER_ID,
  payload: TEXT_PAYLOAD,
};

/** Shaped like Meta's send-message error response. */
function graphErrorBody(code: number, message: string, details?: string) {
  return {
    error: {
      message,
      type: 'OAuthException',
      code,
      ...(details && {
        error_data: { messaging_product: 'whatsapp', details },
      }),
      fbtrace_id: 'AazbGcN2Ysu9BQ3eqkW0BUT',
    },
  };
}

function expectNoAccessToken(result: SendResult) {
  expect(JSON.stringify(result)).not.toContain(ACCESS_TOKEN);
}

describe('WhatsAppCloudSender', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function answer(resolver: Parameters<typeof http.post>[1]) {
    server.use(http.post(ENDPOINT, resolver));
  }

  it('posts the stored payload with our id and returns the wamid', async () => {
    let received: Request | undefined;
    answer(async ({ request }) => {
      received = request.clone();
      return HttpResponse.json({
        messaging_product: 'whatsapp',
        contacts: [{ input: '+16505551234', wa_id: '16505551234' }],
        messages: [{ id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI' }],
      });
    });

    const result = await new WhatsAppCloudSender(SETTINGS, ACCOUNTS).send(
      REQUEST,
    );

    expect(result).toEqual({
      outcome: 'accepted',
      providerMessageId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI',
    });
    expect(received?.url).toBe(ENDPOINT);
    expect(received?.headers.get('authorization')).toBe(
      `Bearer ${ACCESS_TOKEN}`,
    );
    expect(received?.headers.get('content-type')).toBe('application/json');
    expect(await received?.json()).toEqual({
      ...TEXT_PAYLOAD,
      biz_opaque_callback_data: 'fm-0001',
    });
  });

  it('fills in messaging_product and to, and replaces a stored callback id', async () => {
    let body: unknown;
    answer(async ({ request }) => {
      body = await request.json();
      return HttpResponse.json({ messages: [{ id: 'wamid.A' }] });
    });

    await new WhatsAppCloudSender(SETTINGS, ACCOUNTS).send({
      messageId: 'fm-0002',
      recipient: '+447700900123',
      phoneNumberId: NUMBER_ID,
      payload: {
        type: 'template',
        template: { name: 'order_update', language: { code: 'en_US' } },
        biz_opaque_callback_data: 'id-of-the-original-send',
      },
    });

    expect(body).toEqual({
      messaging_product: 'whatsapp',
      to: '+447700900123',
      type: 'template',
      template: { name: 'order_update', language: { code: 'en_US' } },
      biz_opaque_callback_data: 'fm-0002',
    });
  });

  it('sends from the number that sent the original, with its account token', async () => {
    const seen: Array<{ url: string; authorization: string | null }> = [];
    server.use(
      http.post(
        'https://graph.example.test/v23.0/:number/messages',
        ({ request }) => {
          seen.push({
            url: request.url,
            authorization: request.headers.get('authorization'),
          });
          return HttpResponse.json({
            messages: [{ id: `wamid.${seen.length}` }],
          });
        },
      ),
    );
    const sender = new WhatsAppCloudSender(SETTINGS, [
      ...ACCOUNTS,
      {
        id: 'us-brand',
        wabaId: '204000000000001',
        accessToken: 'EAAGsecondAccountToken',
        numbers: [
          { phoneNumberId: '2065550001', label: 'Sales US', ratePerSecond: 20 },
          { phoneNumberId: '2065550002', label: 'Care US', ratePerSecond: 20 },
        ],
      },
    ]);

    for (const phoneNumberId of ['2065550002', NUMBER_ID, '2065550001']) {
      expect(await sender.send({ ...REQUEST, phoneNumberId })).toMatchObject({
        outcome: 'accepted',
      });
    }

    expect(seen).toEqual([
      {
        url: 'https://graph.example.test/v23.0/2065550002/messages',
        authorization: 'Bearer EAAGsecondAccountToken',
      },
      { url: ENDPOINT, authorization: `Bearer ${ACCESS_TOKEN}` },
      {
        url: 'https://graph.example.test/v23.0/2065550001/messages',
        authorization: 'Bearer EAAGsecondAccountToken',
      },
    ]);
  });

  it('sends nothing from a number that is not configured', async () => {
    const seen: string[] = [];
    server.use(
      http.post('https://graph.example.test/*', ({ request }) => {
        seen.push(request.url);
        return HttpResponse.json({ messages: [{ id: 'wamid.X' }] });
      }),
    );

    const result = await new WhatsAppCloudSender(SETTINGS, ACCOUNTS).send({
      ...REQUEST,
      phoneNumberId: '4930901820',
    });

    expect(result).toEqual({
      outcome: 'failed',
      error: expect.objectContaining({ code: 'number-not-configured' }),
    });
    expect(seen).toEqual([]);
  });

  it("sends to the record's recipient, not to another number in the stored payload", async () => {
    let body: { to?: string } | undefined;
    answer(async ({ request }) => {
      body = (await request.json()) as { to?: string };
      return HttpResponse.json({ messages: [{ id: 'wamid.B' }] });
    });

    await new WhatsAppCloudSender(SETTINGS, ACCOUNTS).send({
      ...REQUEST,
      payload: { ...TEXT_PAYLOAD, to: '+4915112345678' },
    });

    expect(body?.to).toBe('+16505551234');
  });

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
      answer(() => HttpResponse.json(body, { status }));

      const result = await new WhatsAppCloudSender(SETTINGS, ACCOUNTS).send(
        REQUEST,
      );

      expect(result).toEqual({ outcome: 'failed', error });
    },
  );

  it('reports a 500 without a Graph body as http-5xx', async () => {
    answer(
      () =>
        new HttpResponse('<html><body>Internal Server Error</body></html>', {
          status: 500,
          headers: { 'Content-Type': 'text/html' },
        }),
    );

    const result = await new WhatsAppCloudSender(SETTINGS, ACCOUNTS).send(
      REQUEST,
    );

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
      answer(
        () =>
          new HttpResponse(`<html><body>${status}</body></html>`, {
            status,
            headers: { 'Content-Type': 'text/html' },
          }),
      );

      const sending = new WhatsAppCloudSender(SETTINGS, ACCOUNTS).send(REQUEST);

      await expect(sending).rejects.toThrow(
        `WhatsApp answered HTTP ${status} without error details: the message may have been sent`,
      );
    },
  );

  it('reports a 4xx without a Graph body as http-<status>', async () => {
    answer(() => new HttpResponse(null, { status: 400 }));

    const result = await new WhatsAppCloudSender(SETTINGS, ACCOUNTS).send(
      REQUEST,
    );

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
      answer(() => new HttpResponse(body, { status: 200 }));

      const sending = new WhatsAppCloudSender(SETTINGS, ACCOUNTS).send(REQUEST);

      await expect(sending).rejects.toThrow(UnknownSendOutcomeError);
      await expect(sending).rejects.toThrow(
        'WhatsApp answered 200 without a message id: the message may have been sent',
      );
    },
  );

  it('never includes the access token in an error, even when the answer echoes it', async () => {
    answer(() =>
      HttpResponse.json(
        graphErrorBody(
          190,
          `(#190) Invalid OAuth access token ${ACCESS_TOKEN}`,
          `Authorization: Bearer ${ACCESS_TOKEN}`,
        ),
        { status: 401 },
      ),
    );

    const result = await new WhatsAppCloudSender(SETTINGS, ACCOUNTS).send(
      REQUEST,
    );

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

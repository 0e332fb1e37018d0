import { AddressInfo, createServer } from 'node:net';
import {
  createServer as createHttpServer,
  IncomingMessage,
  ServerResponse,
} from 'node:http';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { SendResult } from '@internal/plugin-failed-messages-node';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { WhatsAppSettings } from '../config';
import {
  UnknownSendOutcomeError,
  WhatsAppCloudSender,
} from './WhatsAppCloudSender';

const ACCESS_TOKEN = 'EAAGtestAccessToken123';

const SETTINGS: WhatsAppSettings = {
  // Trailing and leading slashes must not double up in the URL.
  baseUrl: 'https://graph.example.test/',
  apiVersion: '/v23.0/',
  phoneNumberId: '106540352242922',
  accessToken: ACCESS_TOKEN,
  timeoutMs: 1000,
};

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

    const result = await new WhatsAppCloudSender(SETTINGS).send(REQUEST);

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

    await new WhatsAppCloudSender(SETTINGS).send({
      messageId: 'fm-0002',
      recipient: '+447700900123',
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

      const result = await new WhatsAppCloudSender(SETTINGS).send(REQUEST);

      expect(result).toEqual({ outcome: 'failed', error });
    },
  );

  it('reports a 5xx without a Graph body as http-5xx', async () => {
    answer(
      () =>
        new HttpResponse('<html><body>502 Bad Gateway</body></html>', {
          status: 502,
          headers: { 'Content-Type': 'text/html' },
        }),
    );

    const result = await new WhatsAppCloudSender(SETTINGS).send(REQUEST);

    expect(result).toEqual({
      outcome: 'failed',
      error: {
        code: 'http-5xx',
        title: null,
        message: 'WhatsApp answered HTTP 502 without error details',
        details: null,
      },
    });
  });

  it('reports a timeout as a network error naming the limit', async () => {
    // Answers, but only well after the limit; a finite wait, so the
    // abandoned answer does not outlive the test.
    answer(async () => {
      await delay(300);
      return HttpResponse.json({ messages: [{ id: 'wamid.late' }] });
    });

    const result = await new WhatsAppCloudSender({
      ...SETTINGS,
      timeoutMs: 50,
    }).send(REQUEST);

    expect(result).toEqual(
      networkError('No answer from WhatsApp within 50 ms'),
    );
  });

  it('reports a 4xx without a Graph body as http-<status>', async () => {
    answer(() => new HttpResponse(null, { status: 400 }));

    const result = await new WhatsAppCloudSender(SETTINGS).send(REQUEST);

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

      const sending = new WhatsAppCloudSender(SETTINGS).send(REQUEST);

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

    const result = await new WhatsAppCloudSender(SETTINGS).send(REQUEST);

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

/** The temporary failure a sender reports when WhatsApp cannot be reached. */
function networkError(message: string): SendResult {
  return {
    outcome: 'failed',
    error: { code: 'network-error', title: null, message, details: null },
  };
}

/** A local port that nothing listens on, so connecting to it is refused. */
async function closedPort(): Promise<number> {
  const listener = createServer();
  await new Promise<void>(resolve => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as AddressInfo;
  await new Promise(resolve => listener.close(resolve));
  return port;
}

// Outside the msw block: its interception must not stand in for a real socket.
describe('WhatsAppCloudSender without a server', () => {
  it('reports a refused connection as a network error', async () => {
    const port = await closedPort();

    const result = await new WhatsAppCloudSender({
      ...SETTINGS,
      baseUrl: `http://127.0.0.1:${port}`,
    }).send(REQUEST);

    expect(result).toEqual(
      networkError(
        `Could not reach WhatsApp at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
      ),
    );
    expectNoAccessToken(result);
  });
});

// A real socket: a connection dropped half-way through a body.
describe('WhatsAppCloudSender against a server that misbehaves', () => {
  /** Runs `use` against a local server answering with `handle`. */
  async function withServer(
    handle: (request: IncomingMessage, response: ServerResponse) => void,
    use: (baseUrl: string) => Promise<void>,
  ) {
    const server = createHttpServer(handle);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await use(`http://127.0.0.1:${port}`);
    } finally {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    }
  }

  it('treats a success whose body breaks off as an unknown outcome, never as a failure to resend', async () => {
    // Answers 200, then drops the connection half-way through the body.
    await withServer(
      (_request, response) => {
        response.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': '200',
        });
        response.write('{"messages":[{"id":"wamid.');
        setTimeout(() => response.socket?.destroy(), 20);
      },
      async baseUrl => {
        await expect(
          new WhatsAppCloudSender({ ...SETTINGS, baseUrl }).send(REQUEST),
        ).rejects.toThrow(UnknownSendOutcomeError);
      },
    );
  });
});

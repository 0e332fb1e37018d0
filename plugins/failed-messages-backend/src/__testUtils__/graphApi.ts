import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { WhatsAppSettings } from '../config';
import { WhatsAppAccountSettings } from '../numbers/readWhatsAppAccounts';

// Meta's Graph API as the WhatsApp sender's tests see it: a local HTTP
// server (the sender's HTTP client, undici, is not one msw intercepts).

export const ACCESS_TOKEN = 'EAAGtestAccessToken123';

export const SETTINGS: WhatsAppSettings = {
  baseUrl: 'https://graph.example.test/',
  apiVersion: '/v23.0/',
  timeoutMs: 1000,
};

export const NUMBER_ID = '106540352242922';

export const ACCOUNTS: WhatsAppAccountSettings[] = [
  {
    id: 'default',
    wabaId: '102290129340398',
    accessToken: ACCESS_TOKEN,
    numbers: [
      { phoneNumberId: NUMBER_ID, label: 'Support', ratePerSecond: 80 },
    ],
  },
];

export const TEXT_PAYLOAD = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '+16505551234',
  type: 'text',
  text: { body: 'Your order has shipped' },
};

export const REQUEST = {
  messageId: 'fm-0001',
  recipient: '+16505551234',
  phoneNumberId: NUMBER_ID,
  payload: TEXT_PAYLOAD,
};

/** Shaped like Meta's send-message error response. */
export function graphErrorBody(
  code: number,
  message: string,
  details?: string,
) {
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

/** A request as the stand-in for Graph received it. */
export interface GraphRequest {
  /** Path and query, e.g. `/v23.0/106540352242922/messages`. */
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: any;
}

/** How the stand-in answers: JSON, or text of a content type. */
export type GraphReply =
  | { status?: number; json: unknown }
  | { status?: number; text: string; contentType?: string };

/**
 * Starts a stand-in for Graph for the suite; `answer` sets how it answers
 * the sends of a test, `settings()` points the sender at it (with slashes
 * that must not double up in the URL), `requests` are those of the test.
 */
export function useGraphApi() {
  const requests: GraphRequest[] = [];
  let reply: (request: GraphRequest) => GraphReply;
  let server: Server;
  let baseUrl = '';
  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) {
        chunks.push(chunk as Buffer);
      }
      const request: GraphRequest = {
        path: req.url ?? '',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'),
      };
      requests.push(request);
      const answer = reply(request);
      res.statusCode = answer.status ?? 200;
      if ('json' in answer) {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(answer.json));
      } else {
        if (answer.contentType) {
          res.setHeader('Content-Type', answer.contentType);
        }
        res.end(answer.text);
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  beforeEach(() => {
    requests.length = 0;
    reply = () => ({ status: 500, text: 'No answer set for this test' });
  });
  return {
    requests,
    answer(answer: (request: GraphRequest) => GraphReply) {
      reply = answer;
    },
    settings: (): WhatsAppSettings => ({ ...SETTINGS, baseUrl: `${baseUrl}/` }),
  };
}

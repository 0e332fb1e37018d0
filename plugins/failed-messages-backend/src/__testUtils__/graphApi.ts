import { WhatsAppSettings } from '../config';
import { WhatsAppAccountSettings } from '../numbers/readWhatsAppAccounts';
import {
  FakeWhatsApp,
  FakeWhatsAppRequest,
  startFakeWhatsApp,
} from './fakeWhatsApp';

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
export type GraphRequest = FakeWhatsAppRequest;

/** How the stand-in answers: JSON, or text of a content type. */
export type GraphReply =
  | { status?: number; json: unknown }
  | { status?: number; text: string; contentType?: string };

/**
 * Starts a stand-in for Graph (startFakeWhatsApp) for the suite; `answer`
 * sets how it answers the sends of a test, `settings()` points the sender at
 * it (with slashes that must not double up in the URL), `requests` are those
 * of the test.
 */
export function useGraphApi() {
  let reply: (request: GraphRequest) => GraphReply;
  let meta: FakeWhatsApp;
  beforeAll(async () => {
    meta = await startFakeWhatsApp(request => {
      const answer = reply(request);
      const status = answer.status ?? 200;
      return 'json' in answer
        ? { status, body: answer.json }
        : { status, text: answer.text, contentType: answer.contentType };
    });
  });
  afterAll(() => meta.close());
  beforeEach(() => {
    meta.requests.length = 0;
    reply = () => ({ status: 500, text: 'No answer set for this test' });
  });
  return {
    get requests() {
      return meta.requests;
    },
    answer(answer: (request: GraphRequest) => GraphReply) {
      reply = answer;
    },
    settings: (): WhatsAppSettings => ({
      ...SETTINGS,
      baseUrl: `${meta.baseUrl}/`,
    }),
  };
}

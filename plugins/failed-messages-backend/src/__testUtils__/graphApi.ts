import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { WhatsAppSettings } from '../config';
import { WhatsAppAccountSettings } from '../numbers/readWhatsAppAccounts';

// Meta's Graph API as the WhatsApp sender's tests see it, through msw.

export const ACCESS_TOKEN = 'EAAGtestAccessToken123';

export const SETTINGS: WhatsAppSettings = {
  // Trailing and leading slashes must not double up in the URL.
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

export const ENDPOINT = 'https://graph.example.test/v23.0/106540352242922/messages';

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
export function graphErrorBody(code: number, message: string, details?: string) {
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

/**
 * Registers msw for a suite; `answer` sets how Graph answers a send from
 * NUMBER_ID, `server` takes other handlers.
 */
export function useGraphApi() {
  const server = setupServer();
  registerMswTestHooks(server);
  return {
    server,
    answer(resolver: Parameters<typeof http.post>[1]) {
      server.use(http.post(ENDPOINT, resolver));
    },
  };
}

import { AddressInfo, createServer } from 'node:net';
import {
  FakeAnswer,
  FakeWhatsApp,
  startFakeWhatsApp,
} from '../__testUtils__/fakeWhatsApp';
import { WhatsAppSettings } from '../config';
import {
  UnknownSendOutcomeError,
  WhatsAppCloudSender,
} from './WhatsAppCloudSender';
import { WhatsAppAccountSettings } from '../numbers/readWhatsAppAccounts';

// Real sockets: msw cannot stall, cut or reset a connection.

const SETTINGS: Omit<WhatsAppSettings, 'baseUrl'> = {
  apiVersion: 'v23.0',
  timeoutMs: 200,
};

const ACCOUNTS: WhatsAppAccountSettings[] = [
  {
    id: 'default',
    wabaId: '102290129340398',
    accessToken: 'EAAGtestAccessToken123',
    numbers: [
      { phoneNumberId: '106540352242922', label: 'Support', ratePerSecond: 80 },
    ],
  },
];

const REQUEST = {
  messageId: 'fm-0001',
  phoneNumberId: '106540352242922',
  recipient: '+16505551234',
  payload: { type: 'text', text: { body: 'Your order has shipped' } },
};

/** A local port that nothing listens on, so connecting to it is refused. */
async function closedPort(): Promise<number> {
  const listener = createServer();
  await new Promise<void>(resolve => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as AddressInfo;
  await new Promise(resolve => listener.close(resolve));
  return port;
}

describe('WhatsAppCloudSender before the request left', () => {
  it('reports a refused connection as a network error, to retry later', async () => {
    const port = await closedPort();

    const result = await new WhatsAppCloudSender(
      { ...SETTINGS, baseUrl: `http://127.0.0.1:${port}` },
      ACCOUNTS,
    ).send(REQUEST);

    expect(result).toEqual({
      outcome: 'failed',
      error: {
        code: 'network-error',
        title: null,
        message: `Could not reach WhatsApp at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
        details: null,
      },
    });
  });
});

describe('WhatsAppCloudSender after the request was written', () => {
  let meta: FakeWhatsApp;
  let answer: FakeAnswer;

  beforeEach(async () => {
    meta = await startFakeWhatsApp(() => answer);
  });

  afterEach(() => meta.close());

  const send = () =>
    new WhatsAppCloudSender(
      { ...SETTINGS, baseUrl: meta.baseUrl },
      ACCOUNTS,
    ).send(REQUEST);

  it.each<{ kind: string; fault: FakeAnswer; says: string }>([
    {
      kind: 'an answer that comes after the timeout',
      fault: { accept: true, delayMs: 400 },
      says: 'WhatsApp did not answer within 200 ms after the request was sent',
    },
    {
      kind: '200 headers and then a stall',
      fault: { stallAfterHeaders: true },
      says: 'WhatsApp did not answer within 200 ms after the request was sent',
    },
    {
      kind: 'a 502 without a body',
      fault: { status: 502 },
      says: 'WhatsApp answered HTTP 502 without error details',
    },
    {
      kind: 'a connection reset',
      fault: { resetAfterBody: true },
      says: 'The connection to WhatsApp broke (read ECONNRESET) after the request was sent',
    },
  ])('throws UnknownSendOutcomeError for $kind', async ({ fault, says }) => {
    answer = fault;

    const sending = send();

    await expect(sending).rejects.toThrow(UnknownSendOutcomeError);
    await expect(sending).rejects.toThrow(
      `${says}: the message may have been sent`,
    );
    // The stand-in got the whole request: it may have sent the message.
    expect(meta.requests).toHaveLength(1);
  });

  it('treats a success whose body breaks off as an unknown outcome', async () => {
    answer = { stallAfterHeaders: true };
    const sending = send();
    // Drops the stalled connection half-way through the body.
    setTimeout(() => meta.close(), 50);

    await expect(sending).rejects.toThrow(
      'WhatsApp answered 200 without a message id: the message may have been sent',
    );
  });
});

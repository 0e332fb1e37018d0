import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { useFailedMessagesBackend } from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';
import { FakeAnswer, FakeWhatsAppRequest } from '../__testUtils__/fakeWhatsApp';
import { reportFailures } from '../__testUtils__/reports';
import { signWebhook } from '../__testUtils__/webhooks';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const ADMIN = mockCredentials.user.header('user:default/ada-admin');

const SUPPORT_DE = '106540352242922';
const SUPPORT_FR = '106540352242923';
const SALES_US = '206540352242924';
const ACCOUNTS = [
  {
    id: 'eu-main',
    wabaId: '102290129340398',
    accessToken: 'token-eu',
    numbers: [
      { phoneNumberId: SUPPORT_DE, label: 'Support DE' },
      { phoneNumberId: SUPPORT_FR, label: 'Support FR' },
    ],
  },
  {
    id: 'us-brand',
    wabaId: '204000000000001',
    accessToken: 'token-us',
    numbers: [{ phoneNumberId: SALES_US, label: 'Sales US' }],
  },
];

/** A delivery with one change per number, each with its statuses. */
function delivery(
  changes: Array<{ phoneNumberId: string; display: string; ids: string[] }>,
  code = 131049,
): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: changes.map(({ phoneNumberId, display, ids }) => ({
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: {
              display_phone_number: display,
              phone_number_id: phoneNumberId,
            },
            statuses: ids.map(id => ({
              id,
              status: 'failed',
              timestamp: '1764000000',
              recipient_id: '16505551234',
              errors: [{ code, title: 'Meta reported a failure' }],
            })),
          },
        })),
      },
    ],
  });
}

describe.each(databases.eachSupportedId())(
  'business numbers and accounts on %s',
  databaseId => {
    let answer: (req: FakeWhatsAppRequest) => FakeAnswer;
    const suite = useFailedMessagesBackend({
      database: { databases, id: databaseId },
      meta: req => answer(req),
      accounts: ACCOUNTS,
      settings: { retry: { ratePerSecond: 200, concurrency: 2 } },
    });
    beforeEach(() => {
      answer = () => ({ accept: true });
      suite.meta.requests.length = 0;
    });

    const get = (path: string) =>
      request(suite.server).get(`${BASE}${path}`).set('Authorization', ADMIN);
    const post = (path: string, body: object = {}) =>
      request(suite.server)
        .post(`${BASE}${path}`)
        .set('Authorization', ADMIN)
        .send(body);
    const byExternalId = async (externalId: string) => {
      const list = await get('/messages').query({ q: externalId });
      return list.body.items.find(
        (m: { externalId: string }) => m.externalId === externalId,
      );
    };

    it('lists the configured numbers with their accounts', async () => {
      const res = await get('/business-numbers');
      expect(res.status).toBe(200);
      expect(res.body).toEqual([
        {
          phoneNumberId: SUPPORT_DE,
          label: 'Support DE',
          account: 'eu-main',
          ratePerSecond: 200,
        },
        {
          phoneNumberId: SUPPORT_FR,
          label: 'Support FR',
          account: 'eu-main',
          ratePerSecond: 200,
        },
        {
          phoneNumberId: SALES_US,
          label: 'Sales US',
          account: 'us-brand',
          ratePerSecond: 200,
        },
      ]);
    });

    it('takes each status of a delivery with its own number, and keeps one from a number not configured', async () => {
      const body = delivery([
        {
          phoneNumberId: SUPPORT_DE,
          display: '+49 30 1111',
          ids: ['wamid.NUM-DE'],
        },
        {
          phoneNumberId: SALES_US,
          display: '+1 650 2222',
          ids: ['wamid.NUM-US'],
        },
        {
          phoneNumberId: '999000111',
          display: '+49 30 901820',
          ids: ['wamid.NUM-X'],
        },
      ]);
      const res = await request(suite.server)
        .post(`${BASE}/webhooks/whatsapp`)
        .set('Content-Type', 'application/json')
        .set('X-Hub-Signature-256', signWebhook(body))
        .send(body);
      expect(res.status).toBe(200);

      expect((await byExternalId('wamid.NUM-DE')).businessNumber).toEqual({
        phoneNumberId: SUPPORT_DE,
        displayPhoneNumber: '+49 30 1111',
        label: 'Support DE',
      });
      expect((await byExternalId('wamid.NUM-US')).businessNumber.label).toBe(
        'Sales US',
      );
      const unconfigured = await byExternalId('wamid.NUM-X');
      expect(unconfigured.businessNumber).toEqual({
        phoneNumberId: '999000111',
        displayPhoneNumber: '+49 30 901820',
        label: null,
      });
      // Kept, counted and visible; with its content (reported by a
      // service), it says why it cannot be resent.
      const [reported] = await reportFailures(suite.server, 'numbers-x', 1, {
        phoneNumberId: '999000111',
      });
      const detail = await get(`/messages/${reported}`);
      expect(detail.body.eligibility).toMatchObject({
        canRetry: false,
        forceable: false,
      });
      expect(detail.body.eligibility.reason).toContain(
        'sent from the number with id 999000111, which is not configured here',
      );
      expect((await post(`/messages/${reported}/retry`)).status).toBe(409);
      expect(suite.meta.requests).toHaveLength(0);
      const counted = await get('/summary').query({
        phoneNumberId: '999000111',
      });
      expect(counted.body.total).toBe(2);
      const csv = await get('/export/messages.csv').query({
        phoneNumberId: [SUPPORT_DE, SALES_US],
      });
      expect(csv.text).toContain(`,${SUPPORT_DE},Support DE\r\n`);
      expect(csv.text).toContain(`,${SALES_US},Sales US\r\n`);
      expect(csv.text).not.toContain('999000111');
    });

    it('resends from the number that sent the original, with its account token', async () => {
      const [fromFr] = await reportFailures(suite.server, 'numbers-fr', 1, {
        phoneNumberId: SUPPORT_FR,
      });
      const [fromUs] = await reportFailures(suite.server, 'numbers-us', 1, {
        phoneNumberId: SALES_US,
      });
      expect((await post(`/messages/${fromFr}/retry`)).status).toBe(200);
      expect((await post(`/messages/${fromUs}/retry`)).status).toBe(200);

      expect(
        suite.meta.requests.map(({ path, authorization }) => ({
          path,
          authorization,
        })),
      ).toEqual([
        {
          path: `/v23.0/${SUPPORT_FR}/messages`,
          authorization: 'Bearer token-eu',
        },
        {
          path: `/v23.0/${SALES_US}/messages`,
          authorization: 'Bearer token-us',
        },
      ]);
    });

    it('refuses to resend a report without a number, as several are configured', async () => {
      const [unknown] = await reportFailures(suite.server, 'numbers-none', 1);
      const res = await post(`/messages/${unknown}/retry`, {
        force: true,
        reason: 'try anyway',
      });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain(
        'The business number that sent it is not known',
      );
      expect(suite.meta.requests).toHaveLength(0);
    });

    it('pauses only the account whose token failed; the other account goes on, until an admin resumes it', async () => {
      await reportFailures(suite.server, 'pause-eu', 4, {
        phoneNumberId: SUPPORT_DE,
      });
      await reportFailures(suite.server, 'pause-us', 4, {
        phoneNumberId: SALES_US,
      });
      // Meta refuses every send with the EU account's token.
      answer = req =>
        req.authorization === 'Bearer token-eu'
          ? {
              status: 401,
              body: {
                error: { code: 190, message: 'Error validating access token' },
              },
            }
          : { accept: true };

      const bulk = await post('/bulk-retries', {
        filter: { phoneNumberId: [SUPPORT_DE, SALES_US], q: 'pause-' },
        reason: 'numbers test',
      });
      expect(bulk.status).toBe(202);
      let finished;
      for (let i = 0; i < 200; i++) {
        finished = (await get(`/bulk-retries/${bulk.body.id}`)).body;
        if (finished.status !== 'running') break;
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      expect(finished).toMatchObject({ status: 'completed' });
      const sentWith = (token: string) =>
        suite.meta.requests.filter(r => r.authorization === `Bearer ${token}`)
          .length;
      // Every US message; the EU ones stop at the first account error (and
      // the few already claimed with it).
      expect(sentWith('token-us')).toBe(4);
      expect(sentWith('token-eu')).toBeGreaterThanOrEqual(1);
      expect(sentWith('token-eu')).toBeLessThan(4);

      const status = await get('/auto-retry');
      expect(status.body.paused).toEqual([
        {
          account: 'eu-main',
          code: '190',
          reason: expect.stringContaining('(190)'),
          since: expect.any(String),
        },
      ]);

      const unknownAccount = await post('/auto-retry/resume', {
        account: 'nope',
      });
      expect(unknownAccount.status).toBe(400);
      expect(unknownAccount.body.error.message).toContain(
        "Invalid account 'nope'",
      );

      const resumed = await post('/auto-retry/resume', { account: 'eu-main' });
      expect(resumed.status).toBe(200);
      expect(resumed.body).toEqual({ resumed: ['eu-main'], paused: [] });
      expect((await get('/auto-retry')).body.paused).toEqual([]);
    });

    it("pauses an account when Meta's webhook reports its token expired", async () => {
      const body = delivery(
        [
          {
            phoneNumberId: SALES_US,
            display: '+1 650 2222',
            ids: ['wamid.TOKEN-1', 'wamid.TOKEN-2'],
          },
        ],
        190,
      );
      const res = await request(suite.server)
        .post(`${BASE}/webhooks/whatsapp`)
        .set('Content-Type', 'application/json')
        .set('X-Hub-Signature-256', signWebhook(body))
        .send(body);
      expect(res.status).toBe(200);

      expect((await get('/auto-retry')).body.paused).toEqual([
        expect.objectContaining({ account: 'us-brand', code: '190' }),
      ]);
      expect((await post('/auto-retry/resume')).body).toEqual({
        resumed: ['us-brand'],
        paused: [],
      });
    });
  },
);

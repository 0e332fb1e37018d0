import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  useFailedMessagesBackend,
  WEBHOOK_VERIFY_TOKEN,
} from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';
import { signWebhook } from '../__testUtils__/webhooks';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const USER = mockCredentials.user.header('user:default/ada-admin');

function statusDelivery(
  statuses: Array<Record<string, unknown>>,
  entries = 1,
): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: Array.from({ length: entries }, (_, index) => ({
      id: `WABA_${index}`,
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: {
              display_phone_number: '15550000000',
              phone_number_id: 'PHONE',
            },
            statuses: statuses.map(status => ({
              ...status,
              id: `${status.id}${entries > 1 ? `.${index}` : ''}`,
            })),
          },
        },
      ],
    })),
  });
}

const failed = (id: string, code = 131049) => ({
  id,
  status: 'failed',
  timestamp: '1764000000',
  recipient_id: '16505551234',
  errors: [
    {
      code,
      title: 'Meta chose not to deliver',
      message: 'Meta chose not to deliver',
      error_data: { details: 'Healthy ecosystem limit' },
    },
  ],
});

describe.each(databases.eachSupportedId())(
  'WhatsApp webhooks on %s',
  databaseId => {
    const suite = useFailedMessagesBackend({
      database: { databases, id: databaseId },
    });

    const deliver = (body: string, signature?: string) => {
      const req = request(suite.server)
        .post(`${BASE}/webhooks/whatsapp`)
        .set('Content-Type', 'application/json');
      return (
        signature === undefined
          ? req
          : req.set('X-Hub-Signature-256', signature)
      ).send(body);
    };

    const search = async (q: string) =>
      (
        await request(suite.server)
          .get(`${BASE}/messages`)
          .query({ q })
          .set('Authorization', USER)
      ).body;

    it('answers the verification handshake with the challenge', async () => {
      const ok = await request(suite.server)
        .get(`${BASE}/webhooks/whatsapp`)
        .query({
          'hub.mode': 'subscribe',
          'hub.verify_token': WEBHOOK_VERIFY_TOKEN,
          'hub.challenge': '1158201444',
        });
      expect(ok.status).toBe(200);
      expect(ok.text).toBe('1158201444');
    });

    it.each([
      ['a short guess', 'guess'],
      ['a guess of the same length', `${WEBHOOK_VERIFY_TOKEN.slice(0, -1)}X`],
      ['the token with more after it', `${WEBHOOK_VERIFY_TOKEN}X`],
      ['the token twice', [WEBHOOK_VERIFY_TOKEN, WEBHOOK_VERIFY_TOKEN]],
    ])('refuses the handshake with %s with 403', async (_, verifyToken) => {
      const res = await request(suite.server)
        .get(`${BASE}/webhooks/whatsapp`)
        .query({
          'hub.mode': 'subscribe',
          'hub.verify_token': verifyToken,
          'hub.challenge': '1158201444',
        });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/hub\.verify_token must match/);
    });

    it('stores a signed failure as a record that cannot be resent', async () => {
      const body = statusDelivery([failed('wamid.valid')]);
      const res = await deliver(body, signWebhook(body));
      expect(res.status).toBe(200);

      const page = await search('wamid.valid');
      expect(page.totalCount).toBe(1);
      const [message] = page.items;
      expect(message).toMatchObject({
        externalId: 'wamid.valid',
        recipient: '16505551234',
        category: 'business-logic',
        failedAt: new Date(1764000000 * 1000).toISOString(),
        error: {
          code: '131049',
          title: 'Meta chose not to deliver',
          details: 'Healthy ecosystem limit',
        },
      });
      const detail = await request(suite.server)
        .get(`${BASE}/messages/${message.id}`)
        .set('Authorization', USER);
      expect(detail.body.payload).toBeNull();
      expect(detail.body.eligibility).toMatchObject({
        canRetry: false,
        reason: expect.stringMatching(/never saw the content/),
      });
    });

    type Forgery = (body: string) => [string, string | undefined];
    it.each<[string, Forgery]>([
      [
        'a tampered body',
        body => [body.replace('131049', '131050'), signWebhook(body)],
      ],
      ['the wrong secret', body => [body, signWebhook(body, 'other-secret')]],
      ['no signature header', body => [body, undefined]],
      ['a malformed header', body => [body, 'sha256=zz']],
    ])('rejects %s with 401 and stores nothing', async (_, mutate) => {
      const id = `wamid.rejected.${Math.random().toString(36).slice(2)}`;
      const [body, signature] = mutate(statusDelivery([failed(id)]));
      const res = await deliver(body, signature);
      expect(res.status).toBe(401);
      expect((await search(id)).totalCount).toBe(0);
    });

    it('ignores a redelivery', async () => {
      const body = statusDelivery([failed('wamid.again')]);
      await deliver(body, signWebhook(body));
      const res = await deliver(body, signWebhook(body));
      expect(res.status).toBe(200);
      expect((await search('wamid.again')).totalCount).toBe(1);
    });

    it('handles every entry and status of one delivery', async () => {
      const body = statusDelivery(
        [
          failed('wamid.multi.a', 130429),
          { id: 'wamid.multi.b', status: 'delivered', timestamp: '1764000000' },
          failed('wamid.multi.c', 131050),
        ],
        2,
      );
      const res = await deliver(body, signWebhook(body));
      expect(res.status).toBe(200);
      const page = await search('wamid.multi');
      expect(page.totalCount).toBe(4);
      expect(page.items.map((m: any) => m.category).sort()).toEqual([
        'non-retryable',
        'non-retryable',
        'retryable',
        'retryable',
      ]);
    });

    it('accepts a payload of almost 3 MB', async () => {
      const padding = 'x'.repeat(2.9 * 1024 * 1024);
      const body = JSON.stringify({
        ...JSON.parse(statusDelivery([failed('wamid.large')])),
        padding,
      });
      const res = await deliver(body, signWebhook(body));
      expect(res.status).toBe(200);
      expect((await search('wamid.large')).totalCount).toBe(1);
    });

    it('names what is wrong in a signed but malformed delivery', async () => {
      const body = JSON.stringify({ object: 'whatsapp_business_account' });
      const res = await deliver(body, signWebhook(body));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/entry/);
    });
  },
);

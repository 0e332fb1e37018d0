import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { useFailedMessagesBackend } from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const SERVICE = mockCredentials.service.header();
const USER = mockCredentials.user.header('user:default/ada-admin');

/** A report without an external id, as a client without one sends it. */
const report = (overrides: Record<string, unknown> = {}) => ({
  recipient: '+4915112345678',
  campaign: 'safety',
  payload: { messaging_product: 'whatsapp', to: '+4915112345678' },
  error: { code: 130429, message: '(#130429) Rate limit hit' },
  failedAt: '2026-11-20T10:00:00Z',
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'reports kept safe on %s',
  databaseId => {
    const suite = useFailedMessagesBackend({
      database: { databases, id: databaseId },
    });
    const post = (body: object) =>
      request(suite.server)
        .post(`${BASE}/messages`)
        .set('Authorization', SERVICE)
        .send(body);
    const count = async (campaign: string) =>
      (
        await request(suite.server)
          .get(`${BASE}/messages`)
          .query({ campaign, age: 'all' })
          .set('Authorization', USER)
      ).body.totalCount;

    it('refuses a payload addressed to someone else, naming both numbers', async () => {
      const res = await post(
        report({
          campaign: 'other-to',
          payload: { messaging_product: 'whatsapp', to: '+4917000000000' },
        }),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('"+4917000000000"');
      expect(res.body.error.message).toContain('"+4915112345678"');

      const batch = await post({
        messages: [
          report({ campaign: 'other-to' }),
          report({ campaign: 'other-to', payload: { to: '4917000000000' } }),
        ],
      });
      expect(batch.status).toBe(400);
      expect(batch.body.error.message).toContain('messages[1]');
      expect(await count('other-to')).toBe(0);
    });

    it('takes the same number written as WhatsApp allows', async () => {
      const res = await post(
        report({
          campaign: 'same-to',
          payload: { messaging_product: 'whatsapp', to: '49 151 1234-5678' },
        }),
      );
      expect(res.status).toBe(201);
    });

    it('refuses error texts over 2,000 characters, naming the field', async () => {
      const longest = await post(
        report({
          campaign: 'long-error',
          error: { code: 130429, details: 'd'.repeat(2000) },
        }),
      );
      expect(longest.status).toBe(201);
      for (const field of ['title', 'message', 'details']) {
        const res = await post(
          report({ error: { code: 130429, [field]: 'x'.repeat(2001) } }),
        );
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(field);
      }
    });

    it('refuses an offset beyond 100,000', async () => {
      const res = await request(suite.server)
        .get(`${BASE}/messages`)
        .query({ offset: 100001 })
        .set('Authorization', USER);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(
        'Invalid query parameter offset: must be <= 100000',
      );
      expect(res.body.error.message).toContain(
        'narrow the list with from and to instead',
      );
    });

    it('stores a report without external id sent again that day once', async () => {
      const first = await post(report({ campaign: 'resent' }));
      // The same content, its keys in another order, later that day.
      const again = await post({
        failedAt: '2026-11-20T23:59:00Z',
        error: { message: '(#130429) Rate limit hit', code: '130429' },
        payload: { to: '+4915112345678', messaging_product: 'whatsapp' },
        campaign: 'resent',
        recipient: '+4915112345678',
      });
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);

      const batch = await post({
        messages: [
          report({ campaign: 'resent' }),
          report({ campaign: 'resent', failedAt: '2026-11-21T00:00:00Z' }),
          report({ campaign: 'resent', failedAt: '2026-11-21T08:00:00Z' }),
        ],
      });
      expect(batch.status).toBe(201);
      const [same, nextDay, nextDayAgain] = batch.body.items;
      expect(same.id).toBe(first.body.id);
      expect(nextDay.id).not.toBe(first.body.id);
      expect(nextDayAgain.id).toBe(nextDay.id);
      expect(await count('resent')).toBe(2);
    });

    it('keeps reports that differ in content apart', async () => {
      await post(report({ campaign: 'different' }));
      const other = await post(
        report({
          campaign: 'different',
          error: { code: 130429, message: 'another text' },
        }),
      );
      expect(other.status).toBe(201);
      expect(await count('different')).toBe(2);
    });
  },
);

import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  startFailedMessagesBackend,
  useFailedMessagesBackend,
} from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';
import { reportFailures } from '../__testUtils__/reports';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const ADMIN = mockCredentials.user.header('user:default/ada-admin');

describe.each(databases.eachSupportedId())(
  'the list of bulk retries on %s',
  databaseId => {
    const suite = useFailedMessagesBackend({
      database: { databases, id: databaseId },
      meta: () => ({ accept: true }),
      settings: { retry: { ratePerSecond: 50, concurrency: 2 } },
    });

    const get = (path: string, query: Record<string, any> = {}) =>
      request(suite.server)
        .get(`${BASE}${path}`)
        .query(query)
        .set('Authorization', ADMIN);

    async function start(body: object) {
      const res = await request(suite.server)
        .post(`${BASE}/bulk-retries`)
        .set('Authorization', ADMIN)
        .send(body);
      expect(res.status).toBe(202);
      return res.body;
    }

    async function finished(id: string) {
      for (let i = 0; i < 200; i++) {
        const { body } = await get(`/bulk-retries/${id}`);
        if (body.status !== 'running') {
          return body;
        }
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      throw new Error(`bulk retry ${id} did not finish`);
    }

    it('lists the runs newest first, with their scope, by status, and links each to its messages', async () => {
      const listed = await reportFailures(suite.server, 'listed', 3, {
        code: 130429,
      });
      await reportFailures(suite.server, 'spring', 2, { code: 130429 });
      const first = await start({ ids: listed, reason: 'outage over' });
      await finished(first.id);
      const second = await start({ filter: { campaign: 'spring' } });
      await finished(second.id);

      const all = await get('/bulk-retries');
      expect(all.status).toBe(200);
      expect(all.body.items.map((run: any) => run.id).slice(0, 2)).toEqual([
        second.id,
        first.id,
      ]);
      expect(all.body.items[1]).toMatchObject({
        status: 'completed',
        total: 3,
        succeeded: 3,
        createdBy: 'user:default/ada-admin',
        reason: 'outage over',
        scope: { selected: 3 },
      });
      expect(all.body.items[0].scope).toEqual({
        filter: { campaign: 'spring' },
      });

      const one = await get('/bulk-retries', {
        status: 'completed',
        limit: 1,
      });
      expect(one.body.items.map((run: any) => run.id)).toEqual([second.id]);
      const none = await get('/bulk-retries', {
        status: ['running', 'cancelled'],
      });
      expect(none.body.items).toEqual([]);

      // A finished run links to the messages it acted on.
      const touched = await get('/messages', { bulkRetryId: first.id });
      expect(touched.body.items.map((m: any) => m.id).sort()).toEqual(
        [...listed].sort(),
      );
      const summary = await get('/summary', { bulkRetryId: first.id });
      expect(summary.body.total).toBe(3);
      const csv = await get('/export/messages.csv', {
        bulkRetryId: second.id,
      });
      expect(csv.text.trim().split('\n')).toHaveLength(3);
    });

    it('says what is wrong with a bad status, limit or bulk id', async () => {
      const badStatus = await get('/bulk-retries', { status: 'finished' });
      expect(badStatus.status).toBe(400);
      expect(badStatus.body.error.message).toMatch(/status/);
      const badLimit = await get('/bulk-retries', { limit: 0 });
      expect(badLimit.status).toBe(400);
      expect(badLimit.body.error.message).toMatch(/limit/);
      const longId = await get('/messages', { bulkRetryId: 'x'.repeat(37) });
      expect(longId.status).toBe(400);
      expect(longId.body.error.message).toMatch(/bulkRetryId/);
    });
  },
);

describe('the list of bulk retries without permission', () => {
  it('answers 403 naming the permission', async () => {
    const { server } = await startFailedMessagesBackend({
      permissionResult: AuthorizeResult.DENY,
    });
    const res = await request(server)
      .get(`${BASE}/bulk-retries`)
      .set('Authorization', ADMIN);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(
      'failed-messages.message.bulk-retry',
    );
  });
});

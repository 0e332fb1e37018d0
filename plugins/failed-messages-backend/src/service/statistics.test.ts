import { mockCredentials } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import request from 'supertest';
import { useFailedMessagesBackend } from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';
import { graphError } from '../__testUtils__/fakeWhatsApp';
import { deliverStatuses } from '../__testUtils__/webhooks';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const ADMIN = mockCredentials.user.header('user:default/ada-admin');

describe.each(databases.eachSupportedId())(
  'GET /statistics on %s',
  databaseId => {
    let failNext = false;
    const suite = useFailedMessagesBackend({
      database: { databases, id: databaseId },
      meta: () =>
        failNext
          ? { status: 400, body: graphError(131026, 'Message undeliverable') }
          : { accept: true },
    });

    async function report(code: number, hoursAgo: number) {
      const res = await request(suite.server)
        .post(`${BASE}/messages`)
        .set('Authorization', mockCredentials.service.header())
        .send({
          recipient: '+16505551234',
          templateName: `t_${Math.random()}`,
          payload: { messaging_product: 'whatsapp' },
          error: { code },
          failedAt: DateTime.utc().minus({ hours: hoursAgo }).toISO(),
        });
      return res.body.id as string;
    }

    const retry = (id: string) =>
      request(suite.server)
        .post(`${BASE}/messages/${id}/retry`)
        .set('Authorization', ADMIN)
        .send({});

    it('reports success rates, triggers, codes, attempts, trend and recovery', async () => {
      const recovered = await report(130429, 30);
      const accepted = (await retry(recovered)).body.attempt;
      await deliverStatuses(suite.server, [
        {
          id: accepted.providerMessageId,
          status: 'delivered',
          timestamp: String(Math.floor(Date.now() / 1000)),
        },
      ]);
      failNext = true;
      const failing = await report(130429, 2);
      await retry(failing);
      failNext = false;
      await report(131050, 1);
      await request(suite.server)
        .post(`${BASE}/auto-retry/run`)
        .set('Authorization', ADMIN);

      const res = await request(suite.server)
        .get(`${BASE}/statistics`)
        .query({ bucket: 'day' })
        .set('Authorization', ADMIN);
      expect(res.status).toBe(200);
      const stats = res.body;
      expect(stats.retries).toEqual({ total: 2, succeeded: 1, failed: 1 });
      expect(stats.retrySuccessRate).toBe(0.5);
      expect(stats.byTrigger.manual).toEqual({
        total: 2,
        succeeded: 1,
        failed: 1,
      });
      expect(stats.byTrigger.automatic.total).toBe(0);
      expect(stats.byErrorCode).toEqual(
        expect.arrayContaining([
          {
            code: '130429',
            title: 'Rate limit hit',
            docsUrl:
              'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes',
            failures: 1,
            retries: 2,
            succeeded: 1,
            successRate: 0.5,
          },
          expect.objectContaining({ code: '131050', failures: 1, retries: 0 }),
          expect.objectContaining({ code: '131026', failures: 1, retries: 0 }),
        ]),
      );
      expect(stats.byAttemptNumber).toEqual([
        { attemptNumber: 1, retries: 2, succeeded: 1, successRate: 0.5 },
      ]);
      expect(stats.trend).toHaveLength(30);
      const totals = stats.trend.reduce(
        (sum: any, b: any) => ({
          failures:
            sum.failures +
            b.failures.retryable +
            b.failures.nonRetryable +
            b.failures.businessLogic,
          retries: sum.retries + b.retries,
        }),
        { failures: 0, retries: 0 },
      );
      expect(totals).toEqual({ failures: 3, retries: 2 });
      expect(stats.medianSecondsToRecovery).toBeGreaterThan(29 * 3600);
      expect(stats.medianSecondsToRecovery).toBeLessThan(31 * 3600);

      const weekly = await request(suite.server)
        .get(`${BASE}/statistics`)
        .query({ bucket: 'week' })
        .set('Authorization', ADMIN);
      expect(weekly.body.trend.length).toBeLessThanOrEqual(6);
      expect(DateTime.fromISO(weekly.body.trend[0].bucketStart).weekday).toBe(
        1,
      );
    });

    it.each([
      [{ bucket: 'month' }, 'bucket'],
      [{ from: 'yesterday' }, 'from'],
      [{ from: '2026-11-20', to: '2026-11-01' }, 'from'],
      [{ from: '2020-01-01', to: '2026-01-01' }, 'from'],
    ])('rejects %o naming the parameter', async (query, name) => {
      const res = await request(suite.server)
        .get(`${BASE}/statistics`)
        .query(query)
        .set('Authorization', ADMIN);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(name);
    });
  },
);

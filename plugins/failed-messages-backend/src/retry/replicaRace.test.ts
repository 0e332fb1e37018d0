import { mockCredentials, TestDatabaseId } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import request from 'supertest';
import { whatsAppConfig } from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';
import { startFakeWhatsApp } from '../__testUtils__/fakeWhatsApp';
import { startReplicas } from '../__testUtils__/replicas';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const ADMIN = mockCredentials.user.header('user:default/ada-admin');

/**
 * Two backend replicas on one database race the automatic run, bulk runs and
 * manual retries over the same messages. The stand-in for Meta accepts every
 * send, so any message it receives twice was sent twice for one decision.
 */
describe.each(databases.eachSupportedId())('two replicas on %s', id => {
  let meta: Awaited<ReturnType<typeof startFakeWhatsApp>>;
  const closers: Array<() => Promise<void>> = [];

  afterAll(async () => {
    await meta?.close();
    await Promise.all(closers.map(close => close()));
  });

  it('send every message at most once', async () => {
    meta = await startFakeWhatsApp(() => ({ accept: true, delayMs: 2 }));
    const backends = await startReplicas(databases, id as TestDatabaseId, {
      ...whatsAppConfig(meta.baseUrl),
      failedMessages: {
        ...(whatsAppConfig(meta.baseUrl).failedMessages as object),
        retry: { ratePerSecond: 2000, concurrency: 8 },
      },
    });
    closers.push(backends.close);
    const replicas = backends.servers;

    const failedAt = DateTime.utc().minus({ hours: 3 }).toISO();
    const reported = await request(replicas[0])
      .post(`${BASE}/messages`)
      .set('Authorization', mockCredentials.service.header())
      .send({
        messages: Array.from({ length: 300 }, (_, i) => ({
          externalId: `wamid.race.${i}`,
          recipient: `+1650555${String(i).padStart(4, '0')}`,
          templateName: `template_${i}`,
          payload: { messaging_product: 'whatsapp', type: 'text' },
          error: { code: 130429 },
          failedAt,
        })),
      });
    expect(reported.status).toBe(201);
    const ids: string[] = reported.body.items.map((i: { id: string }) => i.id);

    const bulkIds: string[] = [];
    await Promise.all([
      ...replicas.map(server =>
        request(server)
          .post(`${BASE}/auto-retry/run`)
          .set('Authorization', ADMIN),
      ),
      ...replicas.map(async server => {
        const res = await request(server)
          .post(`${BASE}/bulk-retries`)
          .set('Authorization', ADMIN)
          .send({ filter: {} });
        bulkIds.push(`${replicas.indexOf(server)}:${res.body.id}`);
      }),
      ...ids
        .slice(0, 60)
        .flatMap(messageId =>
          replicas.map(server =>
            request(server)
              .post(`${BASE}/messages/${messageId}/retry`)
              .set('Authorization', ADMIN)
              .send({}),
          ),
        ),
    ]);

    const finalBulks = await Promise.all(
      bulkIds.map(async entry => {
        const [replica, bulkId] = entry.split(':');
        for (let i = 0; i < 1200; i++) {
          const bulk = await request(replicas[Number(replica)])
            .get(`${BASE}/bulk-retries/${bulkId}`)
            .set('Authorization', ADMIN);
          if (bulk.body.status !== 'running') {
            return bulk.body;
          }
          await new Promise(resolve => setTimeout(resolve, 50));
        }
        throw new Error(`bulk retry ${bulkId} did not finish`);
      }),
    );
    for (const bulk of finalBulks) {
      expect(bulk).toMatchObject({
        status: 'completed',
        processed: bulk.total,
      });
    }

    const sends = new Map<string, number>();
    for (const r of meta.requests) {
      const messageId = r.body.biz_opaque_callback_data;
      sends.set(messageId, (sends.get(messageId) ?? 0) + 1);
    }
    const duplicates = [...sends.entries()].filter(([, count]) => count > 1);
    expect(duplicates).toEqual([]);
    // Every message was sent by one path or another.
    expect(new Set(sends.keys())).toEqual(new Set(ids));

    const summary = await request(replicas[1])
      .get(`${BASE}/summary`)
      .query({ retryStatus: 'retry-succeeded' })
      .set('Authorization', ADMIN);
    expect(summary.body.total).toBe(300);
  });
});

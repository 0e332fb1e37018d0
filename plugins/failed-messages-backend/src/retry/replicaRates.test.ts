import { mockCredentials, TestDatabaseId } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
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

const X = '106540352242922';
const Y = '206540352242924';
const WINDOW_MS = 5000;

/** The most sends that fall into any WINDOW_MS-long window. */
function busiestWindow(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let busiest = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= WINDOW_MS) {
      start += 1;
    }
    busiest = Math.max(busiest, end - start + 1);
  }
  return busiest;
}

/**
 * Two backend replicas on one PostgreSQL database run bulk retries from two
 * numbers at once: each number's rate holds for the two together (SQLite is
 * one process, so the limit across replicas is PostgreSQL's).
 */
describe.each(
  databases
    .eachSupportedId()
    .filter(([id]) => String(id).startsWith('POSTGRES')),
)('two replicas sending from two numbers on %s', id => {
  let meta: Awaited<ReturnType<typeof startFakeWhatsApp>>;
  const closers: Array<() => Promise<void>> = [];

  afterAll(async () => {
    await meta?.close();
    await Promise.all(closers.map(close => close()));
  });

  it('keep each number under its rate together, and send nothing twice', async () => {
    const sentAt = new Map<string, number[]>([
      [X, []],
      [Y, []],
    ]);
    meta = await startFakeWhatsApp(req => {
      const number = req.path.split('/')[2];
      sentAt.get(number)?.push(performance.now());
      return { accept: true };
    });
    const { whatsapp, ...base } = whatsAppConfig(meta.baseUrl)
      .failedMessages as { whatsapp: JsonObject };
    const backends = await startReplicas(databases, id as TestDatabaseId, {
      failedMessages: {
        ...base,
        retry: { concurrency: 4 },
        whatsapp: {
          baseUrl: whatsapp.baseUrl,
          appSecret: whatsapp.appSecret,
          verifyToken: whatsapp.verifyToken,
          accounts: [
            {
              id: 'eu-main',
              wabaId: '102290129340398',
              accessToken: 'token-eu',
              numbers: [
                { phoneNumberId: X, label: 'X', ratePerSecond: 20 },
                { phoneNumberId: Y, label: 'Y', ratePerSecond: 10 },
              ],
            },
          ],
        },
      },
    });
    closers.push(backends.close);
    const replicas = backends.servers;

    const failedAt = DateTime.utc().minus({ hours: 3 }).toISO();
    const report = async (number: string, count: number) => {
      const res = await request(replicas[0])
        .post(`${BASE}/messages`)
        .set('Authorization', mockCredentials.service.header())
        .send({
          messages: Array.from({ length: count }, (_, i) => ({
            externalId: `wamid.rate.${number}.${i}`,
            recipient: `+1650555${String(i).padStart(4, '0')}`,
            phoneNumberId: number,
            payload: { messaging_product: 'whatsapp', type: 'text' },
            error: { code: 130429 },
            failedAt,
          })),
        });
      expect(res.status).toBe(201);
    };
    await report(X, 240);
    await report(Y, 120);

    // Each replica runs a bulk for each number, over the same messages.
    const started = await Promise.all(
      replicas.flatMap(server =>
        [X, Y].map(async number => {
          const res = await request(server)
            .post(`${BASE}/bulk-retries`)
            .set('Authorization', ADMIN)
            .send({ filter: { phoneNumberId: number } });
          expect(res.status).toBe(202);
          return { server, id: res.body.id as string };
        }),
      ),
    );
    const finalStatuses = [];
    for (const { server, id: bulkId } of started) {
      for (let i = 0; ; i++) {
        const bulk = await request(server)
          .get(`${BASE}/bulk-retries/${bulkId}`)
          .set('Authorization', ADMIN);
        if (bulk.body.status !== 'running') {
          finalStatuses.push(bulk.body.status);
          break;
        }
        if (i > 1200) {
          throw new Error(`bulk retry ${bulkId} did not finish`);
        }
        await new Promise(resolve => setTimeout(resolve, 50));
      }
    }
    expect(finalStatuses).toEqual(started.map(() => 'completed'));

    const sends = new Map<string, number>();
    for (const r of meta.requests) {
      const messageId = r.body.biz_opaque_callback_data;
      sends.set(messageId, (sends.get(messageId) ?? 0) + 1);
    }
    expect([...sends.values()].filter(count => count > 1)).toEqual([]);
    expect(sentAt.get(X)).toHaveLength(240);
    expect(sentAt.get(Y)).toHaveLength(120);

    // X at 20/s: never above 21/s over 5 s; Y at 10/s: never above 10.5/s.
    const busiestX = busiestWindow(sentAt.get(X)!);
    const busiestY = busiestWindow(sentAt.get(Y)!);
    expect(busiestX).toBeLessThanOrEqual(105);
    expect(busiestY).toBeLessThanOrEqual(52);
    // And the limit is used, not undercut: each number nearly at its rate.
    expect(busiestX).toBeGreaterThanOrEqual(80);
    expect(busiestY).toBeGreaterThanOrEqual(40);
  });
});

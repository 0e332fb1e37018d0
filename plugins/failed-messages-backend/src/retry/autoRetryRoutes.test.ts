import { mockCredentials } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { DateTime } from 'luxon';
import request from 'supertest';
import {
  startFailedMessagesBackend,
  startFailedMessagesBackendOn,
  whatsAppConfig,
} from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  FakeAnswer,
  FakeWhatsApp,
  heldAcceptance,
  startFakeWhatsApp,
} from '../__testUtils__/fakeWhatsApp';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const ADMIN = mockCredentials.user.header('user:default/ada-admin');

describe.each(databases.eachSupportedId())(
  'automatic retry routes on %s',
  databaseId => {
    let meta: FakeWhatsApp;
    let answer: () => FakeAnswer = () => ({ accept: true });
    let backend:
      | Awaited<ReturnType<typeof startFailedMessagesBackend>>
      | undefined;

    beforeAll(async () => {
      meta = await startFakeWhatsApp(() => answer());
    });
    afterEach(async () => {
      await backend?.stop();
      backend = undefined;
    });
    afterAll(() => meta.close());

    /** A backend on a fresh database, so no test sees another's runs. */
    async function start(config: JsonObject) {
      backend = await startFailedMessagesBackendOn(databases, databaseId, {
        config,
      });
      return backend;
    }

    /** Reports one message whose automatic retry is due. */
    const reportDueMessage = (server: Parameters<typeof request>[0]) =>
      request(server)
        .post(`${BASE}/messages`)
        .set('Authorization', mockCredentials.service.header())
        .send({
          recipient: '+16505551234',
          payload: { messaging_product: 'whatsapp', to: '+16505551234' },
          error: { code: 130429 },
          failedAt: DateTime.utc().minus({ hours: 2 }).toISO(),
        });

    it('shows the schedule, runs on demand and shows the last run', async () => {
      const { server } = await start(whatsAppConfig(meta.baseUrl));
      const before = await request(server)
        .get(`${BASE}/auto-retry`)
        .set('Authorization', ADMIN);
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({
        enabled: true,
        schedule: { cron: '0 6 * * *' },
        timezone: 'UTC',
        maxAttempts: 3,
        lastRun: null,
        current: null,
        recentRuns: [],
      });
      const next = DateTime.fromISO(before.body.nextRunAt, { zone: 'utc' });
      expect(next.hour).toBe(6);
      expect(next > DateTime.utc()).toBe(true);
      expect(next.diffNow('hours').hours).toBeLessThanOrEqual(24);

      await reportDueMessage(server);

      const run = await request(server)
        .post(`${BASE}/auto-retry/run`)
        .set('Authorization', ADMIN);
      expect(run.status).toBe(202);

      const after = await request(server)
        .get(`${BASE}/auto-retry`)
        .set('Authorization', ADMIN);
      expect(after.body.lastRun).toMatchObject({
        attempted: 1,
        succeeded: 1,
        failed: 0,
        skipped: [],
        pausedReason: null,
        finishedAt: expect.any(String),
      });
      expect(after.body.recentRuns).toEqual([after.body.lastRun]);
      expect(after.body.current).toBeNull();
      expect(meta.requests).toHaveLength(1);
    });

    it('lists the last ten runs, newest first', async () => {
      const { server } = await start(whatsAppConfig(meta.baseUrl));
      meta.requests.length = 0;
      const runNow = () =>
        request(server)
          .post(`${BASE}/auto-retry/run`)
          .set('Authorization', ADMIN);
      for (let run = 0; run < 11; run++) {
        expect((await runNow()).status).toBe(202);
      }
      const { body } = await request(server)
        .get(`${BASE}/auto-retry`)
        .set('Authorization', ADMIN);
      expect(body.recentRuns).toHaveLength(10);
      const starts = body.recentRuns.map(
        (run: { startedAt: string }) => run.startedAt,
      );
      expect(starts).toEqual([...starts].sort().reverse());
      expect(body.recentRuns[0]).toEqual(body.lastRun);
      expect(meta.requests).toHaveLength(0);
    });

    it('reads the schedule in the configured time zone', async () => {
      const config = whatsAppConfig(meta.baseUrl) as any;
      config.failedMessages.autoRetry = { timezone: 'Asia/Kolkata' };
      const { server } = await start(config);
      const { body } = await request(server)
        .get(`${BASE}/auto-retry`)
        .set('Authorization', ADMIN);
      expect(body.timezone).toBe('Asia/Kolkata');
      // 06:00 in Kolkata (UTC+5:30) is 00:30 UTC.
      const next = DateTime.fromISO(body.nextRunAt, { zone: 'utc' });
      expect([next.hour, next.minute]).toEqual([0, 30]);
    });

    it('shows the run going with its figures so far', async () => {
      const { server } = await start(whatsAppConfig(meta.baseUrl));
      meta.requests.length = 0;
      const { answer: held, release } = heldAcceptance();
      answer = () => held;
      await reportDueMessage(server);
      const run = request(server)
        .post(`${BASE}/auto-retry/run`)
        .set('Authorization', ADMIN)
        .then(res => res);
      for (let i = 0; i < 250 && !meta.requests.length; i++) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      const going = await request(server)
        .get(`${BASE}/auto-retry`)
        .set('Authorization', ADMIN);
      expect(going.body.current).toMatchObject({
        finishedAt: null,
        attempted: 0,
      });
      expect(going.body.recentRuns[0]).toMatchObject({ finishedAt: null });
      release();
      await run;
      answer = () => ({ accept: true });
    });

    it('answers with the run going instead of starting a second one', async () => {
      const { server } = await start(whatsAppConfig(meta.baseUrl));
      meta.requests.length = 0;
      const { answer: held, release } = heldAcceptance();
      answer = () => held;
      await reportDueMessage(server);
      const run = () =>
        request(server)
          .post(`${BASE}/auto-retry/run`)
          .set('Authorization', ADMIN)
          .then(res => res);
      const first = run();
      for (let i = 0; i < 250 && !meta.requests.length; i++) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }

      const second = await run();
      expect(second.status).toBe(200);
      expect(second.body).toEqual({
        status: 'already-running',
        run: expect.objectContaining({ finishedAt: null, attempted: 0 }),
      });
      release();
      expect((await first).status).toBe(202);
      expect(meta.requests).toHaveLength(1);
      answer = () => ({ accept: true });
    });

    it('answers 409 when automatic retry is disabled', async () => {
      const config = whatsAppConfig(meta.baseUrl) as any;
      config.failedMessages.autoRetry = {
        enabled: false,
        schedule: { hours: 24 },
      };
      const { server } = await start(config);
      const run = await request(server)
        .post(`${BASE}/auto-retry/run`)
        .set('Authorization', ADMIN);
      expect(run.status).toBe(409);
      expect(run.body.error.message).toMatch(/disabled/);
      const shown = await request(server)
        .get(`${BASE}/auto-retry`)
        .set('Authorization', ADMIN);
      expect(shown.body).toMatchObject({
        enabled: false,
        schedule: { hours: 24 },
        nextRunAt: null,
      });
    });

    it('takes a full task schedule too', async () => {
      const config = whatsAppConfig(meta.baseUrl) as any;
      config.failedMessages.autoRetry = {
        schedule: {
          frequency: { cron: '30 5 * * *' },
          timeout: { minutes: 30 },
        },
      };
      const { server } = await start(config);
      const shown = await request(server)
        .get(`${BASE}/auto-retry`)
        .set('Authorization', ADMIN);
      expect(shown.body.schedule).toEqual({ cron: '30 5 * * *' });
      const next = DateTime.fromISO(shown.body.nextRunAt, { zone: 'utc' });
      expect([next.hour, next.minute]).toEqual([5, 30]);
    });
  },
);

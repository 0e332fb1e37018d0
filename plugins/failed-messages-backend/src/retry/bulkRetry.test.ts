import { mockCredentials } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import request from 'supertest';
import { useFailedMessagesBackend } from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';
import { FakeAnswer } from '../__testUtils__/fakeWhatsApp';
import { RecordingNotificationService } from '../__testUtils__/recordingServices';
import { reportFailures } from '../__testUtils__/reports';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const ADMIN = 'user:default/ada-admin';

describe.each(databases.eachSupportedId())('bulk retries on %s', databaseId => {
  let answer: () => FakeAnswer;
  const notifications = new RecordingNotificationService();
  const suite = useFailedMessagesBackend({
    database: { databases, id: databaseId },
    meta: () => answer(),
    settings: { retry: { ratePerSecond: 50, concurrency: 2 } },
    features: [notifications.factory()],
  });
  beforeEach(() => {
    answer = () => ({ accept: true });
    suite.meta.requests.length = 0;
  });

  const report = (campaign: string, code: number, count: number) =>
    reportFailures(suite.server, campaign, count, { code });

  const post = (body: object) =>
    request(suite.server)
      .post(`${BASE}/bulk-retries`)
      .set('Authorization', mockCredentials.user.header(ADMIN))
      .send(body);

  const get = async (id: string) =>
    (
      await request(suite.server)
        .get(`${BASE}/bulk-retries/${id}`)
        .set('Authorization', mockCredentials.user.header(ADMIN))
    ).body;

  /**
   * Waits until the run has ended and its starter was told so: only then has
   * its worker stopped. A cancelled run shows its status at once but first
   * works off its queue, and stopping the backend does not wait for it; left
   * going, it would query its database after the suite destroyed it.
   */
  async function waitUntilFinished(id: string) {
    for (let i = 0; i < 200; i++) {
      const bulk = await get(id);
      const told = notifications.sent.some(
        sent => sent.payload.scope === `bulk-retry:${id}`,
      );
      if (bulk.status !== 'running' && told) {
        return bulk;
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    throw new Error(`bulk retry ${id} did not finish`);
  }

  it('previews without sending: matched, eligible, skipped by reason', async () => {
    await report('preview', 130429, 3);
    await report('preview', 131050, 2);
    await report('preview', 131047, 1);
    const res = await post({ filter: { campaign: 'preview' }, dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body.matched).toBe(6);
    expect(res.body.eligible).toBe(3);
    expect(res.body.skipped).toEqual([
      { reason: expect.stringMatching(/Cannot retry/), count: 2 },
      { reason: expect.stringMatching(/must be forced/), count: 1 },
    ]);
    expect(suite.meta.requests).toHaveLength(0);
  });

  it('previews messages still waiting as one reason, whatever their wait ends', async () => {
    const res = await request(suite.server)
      .post(`${BASE}/messages`)
      .set('Authorization', mockCredentials.service.header())
      .send({
        messages: [0, 2, 4].map(minutes => ({
          recipient: `+165055510${minutes}0`,
          campaign: 'preview-waiting',
          payload: { messaging_product: 'whatsapp', type: 'text' },
          error: { code: 80007 },
          failedAt: DateTime.utc().minus({ minutes }).toISO(),
        })),
      });
    expect(res.status).toBe(201);

    const preview = await post({
      filter: { campaign: 'preview-waiting' },
      dryRun: true,
    });
    expect(preview.body).toMatchObject({ matched: 3, eligible: 0 });
    expect(preview.body.skipped).toEqual([
      { reason: expect.stringMatching(/wait .* has not passed/), count: 3 },
    ]);
  });

  it('retries every eligible match once, in the background, with progress', async () => {
    const ids = await report('bulk-run', 130429, 12);
    await report('bulk-run', 131026, 3);
    const started = await post({
      filter: { campaign: 'bulk-run' },
      reason: 'Meta outage is over',
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      status: 'running',
      total: 15,
      createdBy: ADMIN,
      reason: 'Meta outage is over',
    });
    // Arrives after the run was created: not swept in.
    const [late] = await report('bulk-run', 130429, 1);

    const done = await waitUntilFinished(started.body.id);
    expect(done).toMatchObject({
      status: 'completed',
      total: 15,
      processed: 15,
      succeeded: 12,
      skipped: 3,
      failed: 0,
      finishedAt: expect.any(String),
    });
    const sentTo = suite.meta.requests.map(
      r => r.body.biz_opaque_callback_data,
    );
    expect(sentTo.sort()).toEqual([...ids].sort());
    expect(sentTo).not.toContain(late);

    const detail = await request(suite.server)
      .get(`${BASE}/messages/${ids[0]}`)
      .set('Authorization', mockCredentials.user.header(ADMIN));
    expect(detail.body.attempts).toEqual([
      expect.objectContaining({
        trigger: 'bulk',
        actor: ADMIN,
        outcome: 'succeeded',
      }),
    ]);
  });

  it('retries listed ids', async () => {
    const ids = await report('by-id', 130429, 4);
    const started = await post({ ids: ids.slice(0, 2) });
    expect(started.status).toBe(202);
    const done = await waitUntilFinished(started.body.id);
    expect(done).toMatchObject({ total: 2, succeeded: 2 });
    expect(suite.meta.requests).toHaveLength(2);
  });

  it('stops when cancelled; what was sent stays sent', async () => {
    answer = () => ({ accept: true, delayMs: 100 });
    await report('to-cancel', 130429, 40);
    const started = await post({ filter: { campaign: 'to-cancel' } });
    await new Promise(resolve => setTimeout(resolve, 300));
    const cancelled = await request(suite.server)
      .post(`${BASE}/bulk-retries/${started.body.id}/cancel`)
      .set('Authorization', mockCredentials.user.header(ADMIN));
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');

    const after = await waitUntilFinished(started.body.id);
    expect(after.status).toBe('cancelled');
    expect(after.processed).toBeLessThan(40);
    // Sends under way at the cancel finish and are counted.
    expect(suite.meta.requests).toHaveLength(after.succeeded);
    // Messages claimed ahead but never sent are given back untouched.
    const summary = async (retryStatus: string) =>
      (
        await request(suite.server)
          .get(`${BASE}/summary`)
          .query({ campaign: 'to-cancel', retryStatus })
          .set('Authorization', mockCredentials.user.header(ADMIN))
      ).body.total;
    expect(await summary('retrying')).toBe(0);
    expect(await summary('never-retried')).toBe(40 - after.succeeded);

    const again = await request(suite.server)
      .post(`${BASE}/bulk-retries/${started.body.id}/cancel`)
      .set('Authorization', mockCredentials.user.header(ADMIN));
    expect(again.status).toBe(409);
  });

  it.each([
    [{}, /either ids or filter/],
    [{ ids: ['a'], filter: {} }, /either ids or filter/],
    [{ filter: { category: 'purple' } }, /category/],
    [{ ids: [] }, /ids/],
    [{ filter: {}, colour: 'red' }, /colour/],
  ])('rejects %o naming the problem', async (body, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('answers 404 for an unknown bulk retry', async () => {
    const res = await request(suite.server)
      .get(`${BASE}/bulk-retries/nope`)
      .set('Authorization', mockCredentials.user.header(ADMIN));
    expect(res.status).toBe(404);
  });
});

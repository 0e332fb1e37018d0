import { mockServices } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import { ErrorCodeCatalogue } from '@internal/plugin-failed-messages-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { FakeAnswer, startFakeWhatsApp } from '../__testUtils__/fakeWhatsApp';
import { newMessage } from '../__testUtils__/messages';
import { engineSendingTo, initTestStore } from '../__testUtils__/retryStack';
import { KnexFailedMessageStore } from '../database/KnexFailedMessageStore';
import { BulkRetries } from './BulkRetries';
import { RetryRateLimiter } from './RetryRateLimiter';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const catalogue = new ErrorCodeCatalogue();

describe.each(databases.eachSupportedId())('BulkRetries on %s', id => {
  let knex: Awaited<ReturnType<typeof databases.init>>;
  let store: KnexFailedMessageStore;
  let meta: Awaited<ReturnType<typeof startFakeWhatsApp>>;
  let answer: (n: number) => FakeAnswer;
  const processes: BulkRetries[] = [];

  beforeAll(async () => {
    ({ knex, store } = await initTestStore(databases, id));
    meta = await startFakeWhatsApp(() => answer(meta.requests.length));
  });
  afterAll(async () => {
    // Closing the stand-in ends the hung send; the "dead" process then winds
    // down while its database is still open instead of in a later test file.
    await meta.close();
    await Promise.all(processes.map(bulkRetries => bulkRetries.settled()));
  });

  /** One backend process: its own engine, limiter and sender. */
  function process(timeoutMs: number) {
    const logger = mockServices.logger.mock();
    const engine = engineSendingTo(meta.baseUrl, store, {
      catalogue,
      leaseSeconds: 60,
      timeoutMs,
    });
    const bulkRetries = new BulkRetries({
      store,
      engine,
      logger,
      // One send at a time, and a rate that queues one window ahead.
      limiter: new RetryRateLimiter({ ratePerSecond: 20, concurrency: 1 }),
    });
    processes.push(bulkRetries);
    return bulkRetries;
  }

  /** Waits until the campaign's claims stop changing. */
  async function claimsSettled(campaign: string) {
    let before = -1;
    for (let i = 0; i < 50; i++) {
      const [{ claimed }] = await knex('failed_messages')
        .where({ campaign, retry_status: 'retrying' })
        .count({ claimed: '*' });
      if (Number(claimed) === before) {
        return;
      }
      before = Number(claimed);
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }

  it('resumes a run whose process died: nothing lost, nothing resent blindly', async () => {
    const failedAt = DateTime.utc().minus({ days: 1 }).toJSDate();
    const reports = await store.insertMessages(
      Array.from({ length: 10 }, () =>
        newMessage({ campaign: 'killed-run', failedAt }),
      ),
    );
    const ids = reports.map(r => r.id);

    // The first process sends three, then hangs on the fourth send and dies.
    answer = (n): FakeAnswer => (n <= 3 ? { accept: true } : { hang: true });
    const first = process(60_000);
    const bulk = await first.start({
      scope: { filter: { campaign: 'killed-run' } },
      createdBy: 'user:default/ada-admin',
      reason: null,
    });
    for (let i = 0; i < 100 && meta.requests.length < 4; i++) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    expect(meta.requests).toHaveLength(4);
    const hungMessage = meta.requests[3].body.biz_opaque_callback_data;
    // It claimed a few messages ahead of the hung send; on a slow start
    // those claims land only now, and a dead process claims nothing later.
    await claimsSettled('killed-run');

    // Time passes: its claims lapse and its heartbeat goes stale.
    await store.expireLeases(DateTime.utc().plus({ minutes: 2 }).toJSDate());
    await knex('failed_message_bulk_retries')
      .where('id', bulk.id)
      .update({ heartbeat_at: DateTime.utc().minus({ hours: 1 }).toJSDate() });

    // A second process picks the run up.
    answer = () => ({ accept: true });
    const second = process(2_000);
    await second.resumeStale();
    await second.settled();

    const sends = meta.requests.map(r => r.body.biz_opaque_callback_data);
    const forReview: string[] = [];
    for (const messageId of ids) {
      const message = await store.getMessage(messageId);
      if (message?.retryStatus === 'outcome-unknown') {
        forReview.push(messageId);
      }
    }
    // The send in flight and the few messages the dead process had claimed
    // ahead of it are left for a person to review, never sent again; every
    // other message is sent once.
    expect(forReview).toContain(hungMessage);
    expect(forReview.length).toBeLessThanOrEqual(4);
    expect(new Set(sends).size).toBe(sends.length);
    expect(sends.filter(m => m === hungMessage)).toHaveLength(1);
    expect(new Set([...sends, ...forReview])).toEqual(new Set(ids));
    expect(await store.getBulkRetry(bulk.id)).toMatchObject({
      status: 'completed',
      total: 10,
      processed: 10,
      succeeded: sends.length - 1,
      skipped: forReview.length,
    });
  });

  it('stops for shutdown without ending the run; after a restart it finishes, each message sent once', async () => {
    const failedAt = DateTime.utc().minus({ days: 1 }).toJSDate();
    const reports = await store.insertMessages(
      Array.from({ length: 20 }, () =>
        newMessage({ campaign: 'shutdown-run', failedAt }),
      ),
    );

    meta.requests.length = 0;
    answer = (): FakeAnswer => ({ accept: true, delayMs: 50 });
    const first = process(5_000);
    const bulk = await first.start({
      scope: { filter: { campaign: 'shutdown-run' } },
      createdBy: 'user:default/ada-admin',
      reason: null,
    });
    for (let i = 0; i < 100 && meta.requests.length < 3; i++) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    await first.stop();
    const sentBeforeStop = meta.requests.length;

    const stopped = await store.getBulkRetry(bulk.id);
    expect(stopped?.status).toBe('running');
    expect(stopped?.processed).toBe(sentBeforeStop);
    expect(sentBeforeStop).toBeLessThan(20);
    // A stopped process takes up no run again, not even a stale one.
    await knex('failed_message_bulk_retries')
      .where('id', bulk.id)
      .update({ heartbeat_at: DateTime.utc().minus({ hours: 1 }).toJSDate() });
    await first.resumeStale();
    await first.settled();
    expect(meta.requests).toHaveLength(sentBeforeStop);

    const restarted = process(5_000);
    await restarted.resumeStale();
    await restarted.settled();
    expect(await store.getBulkRetry(bulk.id)).toMatchObject({
      status: 'completed',
      processed: 20,
      succeeded: 20,
    });
    const sends = meta.requests.map(r => r.body.biz_opaque_callback_data);
    expect(new Set(sends)).toEqual(new Set(reports.map(r => r.id)));
    expect(sends).toHaveLength(20);
  });
});

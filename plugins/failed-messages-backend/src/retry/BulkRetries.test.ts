import { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import { ErrorCodeCatalogue } from '@msgops/plugin-failed-messages-common';
import { createTestDatabases, initTestStore } from '../__testUtils__/databases';
import {
  FakeAnswer,
  heldAcceptance,
  startFakeWhatsApp,
} from '../__testUtils__/fakeWhatsApp';
import { newMessage } from '../__testUtils__/messages';
import { engineSendingTo } from '../__testUtils__/retryStack';
import { KnexFailedMessageStore } from '../database/KnexFailedMessageStore';
import { BulkRetries } from './BulkRetries';
import { RetryRateLimiter } from './RetryRateLimiter';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const catalogue = new ErrorCodeCatalogue();
/** The heartbeat window of runs whose sends Meta holds open. */
const WINDOW_MS = 1_200;

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
  function process(
    timeoutMs: number,
    options: { heartbeatWindowMs?: number; logger?: LoggerService } = {},
  ) {
    const logger = options.logger ?? mockServices.logger.mock();
    const engine = engineSendingTo(meta.baseUrl, store, {
      catalogue,
      leaseSeconds: 60,
      timeoutMs,
      ratePerSecond: 20,
    });
    const bulkRetries = new BulkRetries({
      store,
      engine,
      catalogue,
      logger,
      heartbeatWindowMs: options.heartbeatWindowMs,
      // One send at a time, and a rate that queues one window ahead.
      limiter: new RetryRateLimiter({ concurrency: 1 }),
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

  /** Polls until `condition` holds (a few seconds at most). */
  async function until(condition: () => boolean) {
    for (let i = 0; i < 250 && !condition(); i++) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    expect(condition()).toBe(true);
  }

  /** A run over `count` new messages whose sends Meta holds until released. */
  async function startHeldRun(campaign: string, count: number) {
    const failedAt = DateTime.utc().minus({ days: 1 }).toJSDate();
    const reports = await store.insertMessages(
      Array.from({ length: count }, () => newMessage({ campaign, failedAt })),
    );
    meta.requests.length = 0;
    const { answer: held, release } = heldAcceptance();
    answer = () => held;
    const logger = mockServices.logger.mock();
    const first = process(30_000, { heartbeatWindowMs: WINDOW_MS, logger });
    const bulk = await first.start({
      scope: { filter: { campaign } },
      createdBy: 'user:default/ada-admin',
      reason: null,
    });
    await until(() => meta.requests.length === 1);
    return { reports, first, bulk, logger, release };
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
    // other message is sent once. At concurrency 1 that is at most six: the
    // limiter's queue of two (the hung send included), the rest of the chunk
    // of two waiting for it and the chunk of two claimed ahead.
    expect(forReview).toContain(hungMessage);
    expect(forReview.length).toBeLessThanOrEqual(6);
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

  it('keeps its run while a send outlasts the heartbeat window: no second replica takes over', async () => {
    const { reports, first, bulk, release } = await startHeldRun(
      'slow-page',
      4,
    );
    // The first send is held for over twice the heartbeat window; stamps
    // once per page would have let the run lapse by now.
    await new Promise(resolve => setTimeout(resolve, WINDOW_MS * 2.5));
    const second = process(30_000, { heartbeatWindowMs: WINDOW_MS });
    await second.resumeStale();
    await second.settled();
    expect(meta.requests).toHaveLength(1);

    release();
    await first.settled();
    expect(await store.getBulkRetry(bulk.id)).toMatchObject({
      status: 'completed',
      processed: 4,
      succeeded: 4,
    });
    const sends = meta.requests.map(r => r.body.biz_opaque_callback_data);
    expect(sends).toHaveLength(4);
    expect(new Set(sends)).toEqual(new Set(reports.map(r => r.id)));
  });

  it('stops a replica whose run another took over: it sends nothing more', async () => {
    const { reports, first, bulk, logger, release } = await startHeldRun(
      'taken-over',
      4,
    );
    // Another replica takes the run over, as after the first's stamps lapsed.
    await knex('failed_message_bulk_retries')
      .where('id', bulk.id)
      .update({ owner_token: 'another-replica', heartbeat_at: new Date() });
    await until(() =>
      logger.info.mock.calls.some(([message]) =>
        /another worker took it over/.test(message),
      ),
    );

    release();
    await first.settled();
    // The send in flight finished and counts; nothing after it went out.
    expect(meta.requests).toHaveLength(1);
    expect(await store.getBulkRetry(bulk.id)).toMatchObject({
      status: 'running',
      processed: 1,
      succeeded: 1,
    });
    const unsent = reports
      .map(r => r.id)
      .filter(
        messageId =>
          messageId !== meta.requests[0].body.biz_opaque_callback_data,
      );
    for (const messageId of unsent) {
      // Claims it made ahead were given back, not left to lapse.
      expect((await store.getMessage(messageId))?.retryStatus).not.toBe(
        'retrying',
      );
    }
    await knex('failed_message_bulk_retries')
      .where('id', bulk.id)
      .update({ status: 'cancelled' });
  });
});

import { mockServices } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import { ErrorCodeCatalogue } from '@msgops/plugin-failed-messages-common';
import { createTestDatabases, initTestStore } from '../__testUtils__/databases';
import {
  FakeWhatsAppRequest,
  FakeAnswer,
  graphError,
  heldAcceptance,
  startFakeWhatsApp,
} from '../__testUtils__/fakeWhatsApp';
import { newMessage } from '../__testUtils__/messages';
import { engineSendingTo } from '../__testUtils__/retryStack';
import { KnexFailedMessageStore } from '../database/KnexFailedMessageStore';
import { AutomaticRetry } from './AutomaticRetry';
import { AccountPauses } from './AccountPauses';
import { TEST_ACCOUNT } from '../__testUtils__/numbers';
import { WhatsAppAccountSettings } from '../numbers/readWhatsAppAccounts';
import { RetryRateLimiter } from './RetryRateLimiter';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const catalogue = new ErrorCodeCatalogue();
const start = DateTime.fromISO('2026-11-26T06:00:00Z', { zone: 'utc' });

describe.each(databases.eachSupportedId())('AutomaticRetry on %s', id => {
  let store: KnexFailedMessageStore;
  let knex: Awaited<ReturnType<typeof databases.init>>;
  let meta: Awaited<ReturnType<typeof startFakeWhatsApp>>;
  let answer: (request: FakeWhatsAppRequest) => FakeAnswer;
  let accounts: WhatsAppAccountSettings[] | undefined;
  let now: DateTime;
  let automatic: AutomaticRetry;
  /** Another process's automatic retry, on the same database and Meta. */
  let newAutomatic: () => AutomaticRetry;

  beforeAll(async () => {
    ({ knex, store } = await initTestStore(databases, id));
    meta = await startFakeWhatsApp(request => answer(request));
    const clock = () => now;
    newAutomatic = () =>
      new AutomaticRetry({
        store,
        engine: engineSendingTo(meta.baseUrl, store, {
          catalogue,
          clock,
          timeoutMs: 2000,
          ratePerSecond: 1000,
          accounts,
          pauses: new AccountPauses({
            store,
            logger: mockServices.logger.mock(),
          }),
        }),
        catalogue,
        logger: mockServices.logger.mock(),
        clock,
        limiter: new RetryRateLimiter({ concurrency: 4 }),
      });
    automatic = newAutomatic();
  });

  afterAll(() => meta.close());

  beforeEach(async () => {
    await knex('failed_message_attempts').delete();
    await knex('failed_message_auto_retry_runs').delete();
    await knex('failed_messages').delete();
    await knex('failed_message_counts').delete();
    await knex('failed_message_account_pauses').delete();
    // A fresh process: no pause remembered from the test before.
    accounts = undefined;
    automatic = newAutomatic();
    meta.requests.length = 0;
    answer = () => ({ accept: true });
    now = start;
  });

  /** A failure of `code` whose automatic retry is due `dueIn` from the start. */
  const due = (code: string, dueIn = -60, overrides = {}) => {
    const info = catalogue.lookup(code);
    return newMessage({
      error: { code, title: info.title, message: null, details: null },
      category: info.category,
      failedAt: start.minus({ days: 1 }).toJSDate(),
      nextAutomaticRetryAt: start.plus({ seconds: dueIn }).toJSDate(),
      ...overrides,
    });
  };

  it('retries only retryable messages whose wait has passed', async () => {
    const [ready, notYet, permanent, rule, unknownContent] =
      await store.insertMessages([
        due('130429'),
        due('130429', 3600),
        due('131026'),
        due('131049'),
        due('130429', -60, { payload: null }),
      ]);

    const run = await automatic.run(null);

    expect(run).toMatchObject({
      attempted: 1,
      succeeded: 1,
      failed: 0,
      pausedReason: null,
    });
    expect(meta.requests.map(r => r.body.biz_opaque_callback_data)).toEqual([
      ready.id,
    ]);
    expect(await store.getMessage(ready.id)).toMatchObject({
      retryStatus: 'retry-succeeded',
      automaticAttempts: 1,
    });
    for (const untouched of [notYet, permanent, rule, unknownContent]) {
      expect((await store.getMessage(untouched.id))?.automaticAttempts).toBe(0);
    }
    expect((await store.listAttempts(ready.id))[0]).toMatchObject({
      trigger: 'automatic',
      actor: null,
      outcome: 'succeeded',
    });
    expect((await store.listAutoRetryRuns(1))[0]).toMatchObject({
      attempted: 1,
      succeeded: 1,
      finishedAt: expect.any(String),
    });
  });

  it('leaves a message alone when a newer one with its template was delivered', async () => {
    const [stale, fresh] = await store.insertMessages([
      due('130429', -60, { recipient: '+16505550001' }),
      due('130429', -60, { recipient: '+16505550002' }),
    ]);
    const [newer] = await store.insertMessages([
      due('130429', 3600, {
        recipient: '+16505550001',
        failedAt: start.minus({ hours: 2 }).toJSDate(),
      }),
    ]);
    await knex('failed_messages')
      .where('id', newer.id)
      .update({ resolved_at: start.toJSDate() });

    const run = await automatic.run(null);

    expect(run).toMatchObject({
      attempted: 1,
      succeeded: 1,
      skipped: [
        {
          reason:
            'A newer message with the same template has since reached this recipient; resending this one would be stale.',
          count: 1,
        },
      ],
    });
    expect(meta.requests.map(r => r.body.biz_opaque_callback_data)).toEqual([
      fresh.id,
    ]);
    expect(await store.getMessage(stale.id)).toMatchObject({
      retryStatus: 'never-retried',
      automaticAttempts: 0,
    });
  });

  it('stops after three automatic attempts with max-attempts-reached', async () => {
    answer = () => ({
      status: 400,
      body: graphError(131000, 'Something went wrong'),
    });
    const [message] = await store.insertMessages([due('130429')]);
    const statuses: string[] = [];
    for (let day = 0; day < 4; day++) {
      now = start.plus({ days: day });
      await automatic.run(null);
      statuses.push((await store.getMessage(message.id))!.retryStatus);
    }
    expect(statuses).toEqual([
      'retry-failed',
      'retry-failed',
      'max-attempts-reached',
      'max-attempts-reached',
    ]);
    expect(meta.requests).toHaveLength(3);
    expect(
      (await store.getMessage(message.id))?.nextAutomaticRetryAt,
    ).toBeNull();
  });

  it('pauses on an account-level error and leaves the rest untouched', async () => {
    answer = () => ({
      status: 401,
      body: graphError(190, 'Access token has expired'),
    });
    const messages = await store.insertMessages(
      Array.from({ length: 30 }, (_, i) => due('130429', -600 + i)),
    );
    const run = await automatic.run(null);
    expect(run.pausedReason).toMatch(/account problem/);
    expect(run.pausedReason).toMatch(/190/);
    // Sends already in flight finish; nothing new starts after the pause.
    expect(meta.requests.length).toBeLessThanOrEqual(4);
    const untouched = await Promise.all(
      messages.map(
        async m => (await store.getMessage(m.id))!.automaticAttempts,
      ),
    );
    expect(
      untouched.filter(attempts => attempts === 0).length,
    ).toBeGreaterThanOrEqual(26);
    expect((await store.listAutoRetryRuns(1))[0].pausedReason).toBe(
      run.pausedReason,
    );
  });

  it('pauses only the account whose token failed; the other account goes on', async () => {
    accounts = [
      {
        ...TEST_ACCOUNT,
        id: 'eu-main',
        numbers: [{ ...TEST_ACCOUNT.numbers[0], phoneNumberId: '1001' }],
      },
      {
        ...TEST_ACCOUNT,
        id: 'us-brand',
        numbers: [{ ...TEST_ACCOUNT.numbers[0], phoneNumberId: '2002' }],
      },
    ];
    automatic = newAutomatic();
    answer = request =>
      request.path.includes('/1001/')
        ? { status: 401, body: graphError(190, 'Access token has expired') }
        : { accept: true };
    const from = (phoneNumberId: string) => ({
      businessNumber: { phoneNumberId, displayPhoneNumber: null },
    });
    await store.insertMessages([
      ...Array.from({ length: 20 }, (_, i) =>
        due('130429', -600 + i, from('1001')),
      ),
      ...Array.from({ length: 20 }, (_, i) =>
        due('130429', -590 + i, from('2002')),
      ),
    ]);

    const run = await automatic.run(null);

    expect(run.pausedReason).toBeNull();
    const sentFrom = (number: string) =>
      meta.requests.filter(r => r.path.includes(`/${number}/`)).length;
    expect(sentFrom('2002')).toBe(20);
    expect(sentFrom('1001')).toBeLessThanOrEqual(5);
    expect(run.succeeded).toBe(20);
    expect(run.skipped).toEqual([
      {
        reason: expect.stringMatching(
          /^Retries from account eu-main are paused since .*: /,
        ),
        count: 20 - sentFrom('1001'),
      },
    ]);
    expect((await store.listAutoRetryRuns(1))[0].skipped).toEqual(run.skipped);
    expect(await store.listAccountPauses()).toEqual([
      expect.objectContaining({ account: 'eu-main', code: '190' }),
    ]);
  });

  it('pauses when one code fails most of the run', async () => {
    answer = () => ({
      status: 400,
      body: graphError(131000, 'Something went wrong'),
    });
    await store.insertMessages(
      Array.from({ length: 60 }, (_, i) => due('130429', -600 + i)),
    );
    const run = await automatic.run(null);
    expect(run.pausedReason).toMatch(/131000/);
    expect(run.attempted).toBeLessThan(30);
  });

  it('does not resend a message whose claim lapsed: the sweep leaves it for review', async () => {
    const [message] = await store.insertMessages([due('130429')]);
    await store.claimAttempts([
      {
        message: (await store.getMessage(message.id))!,
        trigger: 'manual',
        actor: 'user:default/alex-agent',
        forced: false,
        reason: null,
        bulkRetryId: null,
        now: start.minus({ hours: 1 }).toJSDate(),
        leaseUntil: start.minus({ minutes: 55 }).toJSDate(),
      },
    ]);
    const run = await automatic.run(null);
    expect(run.attempted).toBe(0);
    expect(meta.requests).toHaveLength(0);
    expect(await store.getMessage(message.id)).toMatchObject({
      automaticAttempts: 0,
      manualAttempts: 1,
    });
  });

  /** Ten due messages whose sends Meta holds until `release`. */
  async function heldSends() {
    const messages = await store.insertMessages(
      Array.from({ length: 10 }, () => due('130429')),
    );
    const { answer: held, release } = heldAcceptance();
    answer = () => held;
    const inFlight = async (count: number) => {
      for (let i = 0; i < 250 && meta.requests.length < count; i++) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      expect(meta.requests).toHaveLength(count);
    };
    return { messages, release, inFlight };
  }

  it('stops claiming once the scheduler aborts the run; the sends in flight finish', async () => {
    const { messages, release, inFlight } = await heldSends();
    const abort = new AbortController();
    const running = automatic.run(null, abort.signal);
    // One chunk (the limiter's concurrency, 4) is being sent.
    await inFlight(4);
    abort.abort();
    release();
    const run = await running;

    expect(run).toMatchObject({
      attempted: 4,
      succeeded: 4,
      pausedReason: expect.stringMatching(/scheduler stopped the run/),
    });
    expect(meta.requests).toHaveLength(4);
    const sent = meta.requests.map(r => r.body.biz_opaque_callback_data);
    for (const messageId of sent) {
      expect(await store.getMessage(messageId)).toMatchObject({
        retryStatus: 'retry-succeeded',
      });
    }
    // Not claimed, or claimed ahead and given back: as before the run.
    for (const message of messages.filter(m => !sent.includes(m.id))) {
      expect(await store.getMessage(message.id)).toMatchObject({
        automaticAttempts: 0,
      });
      expect(await store.listAttempts(message.id)).toEqual([]);
    }
  });

  it('starts no second run while the first still sends', async () => {
    const { release, inFlight } = await heldSends();
    const first = automatic.run(null);
    await inFlight(4);

    await expect(automatic.run('user:default/ada-admin')).rejects.toThrow(
      /still going/,
    );
    expect(automatic.current).toMatchObject({ finishedAt: null });
    release();
    expect(await first).toMatchObject({ attempted: 10, succeeded: 10 });
    expect(automatic.current).toBeUndefined();
    expect(meta.requests).toHaveLength(10);
    const [{ n }] = await knex('failed_message_auto_retry_runs').count({
      n: '*',
    });
    expect(Number(n)).toBe(1);
  });

  it('on shutdown stops claiming, waits for the sends in flight, and starts no new run', async () => {
    const { release, inFlight } = await heldSends();
    const stopping = newAutomatic();
    const running = stopping.run(null);
    await inFlight(4);

    const stopped = stopping.stop(60_000);
    release();
    await stopped;
    // The run had ended by the time the shutdown hook returned.
    expect(stopping.current).toBeUndefined();
    expect(await running).toMatchObject({
      attempted: 4,
      pausedReason: expect.stringMatching(/shutting down/),
    });
    expect(meta.requests).toHaveLength(4);
    await expect(stopping.run(null)).rejects.toThrow(/shutting down/);
  });

  it('on shutdown waits for the sends in flight only so long; their claims are left to lapse', async () => {
    const { release, inFlight } = await heldSends();
    const stopping = newAutomatic();
    const running = stopping.run(null);
    await inFlight(4);

    await stopping.stop(50);
    // Shutdown went on with the sends still out; their messages stay
    // claimed, for the lease sweep to turn into outcome-unknown.
    expect(stopping.current).toMatchObject({ finishedAt: null });
    for (const sent of meta.requests) {
      expect(
        await store.getMessage(sent.body.biz_opaque_callback_data),
      ).toMatchObject({ retryStatus: 'retrying' });
    }
    release();
    await running;
  });
});

import { mockServices } from '@backstage/backend-test-utils';
import { SchedulerService } from '@backstage/backend-plugin-api';
import { DateTime } from 'luxon';
import { ErrorCodeCatalogue } from '@msgops/plugin-failed-messages-common';
import { createTestDatabases, initTestStore } from '../__testUtils__/databases';
import { startFakeWhatsApp } from '../__testUtils__/fakeWhatsApp';
import { engineSendingTo } from '../__testUtils__/retryStack';
import { KnexFailedMessageStore } from '../database/KnexFailedMessageStore';
import { AutomaticRetry } from './AutomaticRetry';
import { AUTO_RETRY_CLOCK_TASK_ID, scheduleAutoRetry } from './autoRetryTask';
import { RetryRateLimiter } from './RetryRateLimiter';

const databases = createTestDatabases();
const catalogue = new ErrorCodeCatalogue();

describe.each(databases.eachSupportedId())(
  'the automatic run on a cron in its time zone, on %s',
  id => {
    let store: KnexFailedMessageStore;
    let knex: Awaited<ReturnType<typeof databases.init>>;
    let meta: Awaited<ReturnType<typeof startFakeWhatsApp>>;
    /** Runs a task when triggered, as one replica's scheduler would. */
    let scheduler: SchedulerService;

    beforeAll(async () => {
      ({ knex, store } = await initTestStore(databases, id));
      meta = await startFakeWhatsApp(() => ({ accept: true }));
    });
    afterAll(() => meta.close());

    beforeEach(async () => {
      await knex('failed_message_auto_retry_runs').delete();
      scheduler = mockServices.scheduler();
      await scheduleAutoRetry({
        scheduler,
        settings: {
          enabled: true,
          schedule: { frequency: { cron: '0 6 * * *' }, timeout: { hours: 2 } },
          maxAttempts: 3,
          timezone: 'Europe/Berlin',
        },
        automatic: new AutomaticRetry({
          store,
          engine: engineSendingTo(meta.baseUrl, store, { catalogue }),
          catalogue,
          limiter: new RetryRateLimiter({ concurrency: 4 }),
          logger: mockServices.logger.mock(),
        }),
        store,
        logger: mockServices.logger.mock(),
      });
    });

    const runStarts = async () =>
      (await store.listAutoRetryRuns(10)).map(run => run.startedAt);

    it('runs once for a time named since the last run, then waits for the next', async () => {
      const twoDaysAgo = DateTime.utc().minus({ days: 2 }).toJSDate();
      const last = await store.startAutoRetryRun({
        startedAt: twoDaysAgo,
        triggeredBy: null,
      });
      await store.finishAutoRetryRun({
        ...last,
        finishedAt: twoDaysAgo,
      });

      await scheduler.triggerTask(AUTO_RETRY_CLOCK_TASK_ID);
      expect(await runStarts()).toHaveLength(2);

      await scheduler.triggerTask(AUTO_RETRY_CLOCK_TASK_ID);
      await scheduler.triggerTask(AUTO_RETRY_CLOCK_TASK_ID);
      const [newest, first] = await store.listAutoRetryRuns(10);
      expect(first.id).toBe(last.id);
      expect(newest.finishedAt).not.toBeNull();
      expect(await runStarts()).toHaveLength(2);
    });

    it('runs nothing before the first time named after the process started', async () => {
      await scheduler.triggerTask(AUTO_RETRY_CLOCK_TASK_ID);
      expect(await runStarts()).toEqual([]);
    });
  },
);

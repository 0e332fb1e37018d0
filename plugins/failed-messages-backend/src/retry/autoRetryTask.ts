import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { ConflictError, isError } from '@backstage/errors';
import { CronTime } from 'cron';
import { DateTime, Duration } from 'luxon';
import { AutoRetrySettings } from '../config';
import {
  AutoRetryRun,
  AutoRetryRunStore,
  RetentionStore,
  RetryClaimStore,
  SendLogStore,
} from '../database/FailedMessageStore';
import { FailedMessagesSignals } from '../signals/FailedMessagesSignals';
import { AutomaticRetry } from './AutomaticRetry';
import { BulkRetries } from './BulkRetries';

export const AUTO_RETRY_TASK_ID = 'failed-messages-auto-retry';
export const AUTO_RETRY_CLOCK_TASK_ID = 'failed-messages-auto-retry-clock';
export const LEASE_SWEEP_TASK_ID = 'failed-messages-lease-sweep';
export const BULK_RESUME_TASK_ID = 'failed-messages-bulk-resume';
export const RETENTION_TASK_ID = 'failed-messages-retention';

/**
 * Registers the daily run (on one replica at a time), the sweep that turns
 * lapsed claims into outcome-unknown and compacts the counts, the pick-up of bulk retries whose
 * worker died, and the daily clean-up of records past `retentionDays`.
 */
export async function scheduleRetryTasks(options: {
  scheduler: SchedulerService;
  settings: AutoRetrySettings;
  automatic: AutomaticRetry;
  bulkRetries: BulkRetries;
  store: RetryClaimStore &
    RetentionStore &
    AutoRetryRunStore &
    Pick<SendLogStore, 'expireSendLog' | 'compactDeliveryCounts'>;
  retentionDays: number;
  sendLogRetentionDays: number;
  logger: LoggerService;
  signals: FailedMessagesSignals;
}) {
  const { scheduler, bulkRetries, store } = options;
  if (options.settings.enabled) {
    await scheduleAutoRetry(options);
  }
  await scheduler.scheduleTask({
    id: LEASE_SWEEP_TASK_ID,
    scope: 'global',
    frequency: { minutes: 1 },
    timeout: { minutes: 1 },
    fn: async () => {
      if ((await store.expireLeases(new Date())) > 0) {
        options.signals.messagesChanged();
      }
      await store.compactCounts();
    },
  });
  await scheduler.scheduleTask({
    id: BULK_RESUME_TASK_ID,
    scope: 'local',
    frequency: { minutes: 1 },
    timeout: { minutes: 1 },
    initialDelay: { seconds: 30 },
    fn: () => bulkRetries.resumeStale(),
  });
  await scheduler.scheduleTask({
    id: RETENTION_TASK_ID,
    scope: 'global',
    frequency: { hours: 24 },
    timeout: { hours: 1 },
    initialDelay: { minutes: 5 },
    fn: async () => {
      const cutoff = DateTime.utc().minus({ days: options.retentionDays });
      const deleted = await store.deleteMessagesFailedBefore(cutoff.toJSDate());
      if (deleted > 0) {
        options.signals.messagesChanged();
      }
      options.logger.info(
        `Deleted ${deleted} failed messages older than ${options.retentionDays} days`,
      );
      // Logged sends keep their payloads a shorter while; their counts stay.
      await store.expireSendLog({
        payloadsBefore: DateTime.utc()
          .minus({ days: options.sendLogRetentionDays })
          .toJSDate(),
        rowsBefore: cutoff.toJSDate(),
      });
      // Statuses of a day's sends arrive within a day or so.
      await store.compactDeliveryCounts(
        DateTime.utc().minus({ days: 1 }).toISODate()!,
      );
    },
  });
}

/**
 * The automatic run, on one replica at a time. Backstage's scheduler reads a
 * cron in the process's own zone and takes no other, so a cron schedule
 * registers the run to be triggered only, by a clock that reads the cron in
 * `autoRetry.timezone`.
 */
export async function scheduleAutoRetry(options: {
  scheduler: SchedulerService;
  settings: AutoRetrySettings;
  automatic: AutomaticRetry;
  store: AutoRetryRunStore;
  logger: LoggerService;
}) {
  const { scheduler, settings, automatic } = options;
  const { frequency } = settings.schedule;
  const cron = 'cron' in frequency ? frequency.cron : undefined;
  await scheduler.scheduleTask({
    id: AUTO_RETRY_TASK_ID,
    scope: 'global',
    ...settings.schedule,
    ...(cron ? { frequency: { trigger: 'manual' as const } } : {}),
    // Aborted when the run times out or is cancelled: it stops claiming.
    fn: async signal => {
      await automatic.run(null, signal);
    },
  });
  if (cron) {
    await scheduleAutoRetryClock({ ...options, cron });
  }
}

/**
 * Every minute (on one replica at a time) triggers the run once the cron,
 * read in `autoRetry.timezone`, has named a time since the last run started,
 * or, before any run, since this process started: so a time missed while no
 * replica was up still gets its run when one comes back, and each time gets
 * one run, whichever replica ticks.
 */
async function scheduleAutoRetryClock(options: {
  scheduler: SchedulerService;
  settings: AutoRetrySettings;
  automatic: AutomaticRetry;
  store: AutoRetryRunStore;
  logger: LoggerService;
  cron: string;
}) {
  const { scheduler, settings, store, logger } = options;
  const startedAt = DateTime.utc();
  await scheduler.scheduleTask({
    id: AUTO_RETRY_CLOCK_TASK_ID,
    scope: 'global',
    frequency: { minutes: 1 },
    timeout: { minutes: 1 },
    fn: async () => {
      const [lastRun] = await store.listAutoRetryRuns(1);
      const since = lastRun ? DateTime.fromISO(lastRun.startedAt) : startedAt;
      if (!isRunDue(options.cron, settings.timezone, since, DateTime.utc())) {
        return;
      }
      const triggered = await triggerAutoRetry({ ...options, store });
      if (triggered.status === 'already-running') {
        logger.info('The automatic run is due but the last one still runs');
      }
    },
  });
}

/** Whether `cron`, read in `timezone`, names a time after `since` and by `now`. */
export function isRunDue(
  cron: string,
  timezone: string,
  since: DateTime,
  now: DateTime,
): boolean {
  const next = new CronTime(cron, timezone).getNextDateFrom(
    since.setZone(timezone),
  );
  return next <= now;
}

/** A run's figures as the routes show them. */
export function runFigures(run: AutoRetryRun) {
  return {
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    attempted: run.attempted,
    succeeded: run.succeeded,
    failed: run.failed,
    skipped: run.skipped,
    pausedReason: run.pausedReason,
  };
}

export type AutoRetryTrigger =
  | { status: 'started' }
  /** `run` is null while the running one has not recorded its start. */
  | { status: 'already-running'; run: ReturnType<typeof runFigures> | null };

/**
 * Starts the automatic run now, unless one is going: then answers with it
 * instead of starting a second. 409 when automatic retry is disabled.
 */
export async function triggerAutoRetry(options: {
  scheduler: SchedulerService;
  settings: AutoRetrySettings;
  automatic: AutomaticRetry;
  store: AutoRetryRunStore;
}): Promise<AutoRetryTrigger> {
  if (!options.settings.enabled) {
    throw new ConflictError(
      'Automatic retry is disabled (failedMessages.autoRetry.enabled is false)',
    );
  }
  const here = options.automatic.current;
  if (here !== undefined) {
    return { status: 'already-running', run: here && runFigures(here) };
  }
  try {
    await options.scheduler.triggerTask(AUTO_RETRY_TASK_ID);
  } catch (error) {
    // The scheduler's lock: another replica is running it.
    if (!isError(error) || error.name !== 'ConflictError') {
      throw error;
    }
    const [last] = await options.store.listAutoRetryRuns(1);
    return {
      status: 'already-running',
      run: last && !last.finishedAt ? runFigures(last) : null,
    };
  }
  return { status: 'started' };
}

/** Runs `GET /auto-retry` lists. */
const RECENT_RUNS = 10;

/**
 * The schedule, the next run, the last runs newest first and the run going
 * now with its figures so far: this process's own, else one another replica
 * started within the run's timeout and has not finished (a replica that died
 * mid-run leaves its run unfinished for good).
 */
export async function autoRetryStatus(options: {
  settings: AutoRetrySettings;
  automatic: AutomaticRetry;
  store: AutoRetryRunStore;
  now: DateTime;
}) {
  const { settings, now } = options;
  const recentRuns = await options.store.listAutoRetryRuns(RECENT_RUNS);
  const [lastRun] = recentRuns;
  const timeout = Duration.isDuration(settings.schedule.timeout)
    ? settings.schedule.timeout
    : Duration.fromObject(settings.schedule.timeout);
  const here = options.automatic.current;
  const elsewhere =
    lastRun &&
    !lastRun.finishedAt &&
    DateTime.fromISO(lastRun.startedAt).plus(timeout) > now
      ? lastRun
      : undefined;
  const current = here ?? elsewhere;
  return {
    enabled: settings.enabled,
    schedule: { ...settings.schedule.frequency },
    timezone: settings.timezone,
    maxAttempts: settings.maxAttempts,
    nextRunAt: settings.enabled
      ? nextRunAt(settings.schedule, settings.timezone, lastRun, now)
      : null,
    lastRun: lastRun ? runFigures(lastRun) : null,
    current: current ? runFigures(current) : null,
    recentRuns: recentRuns.map(runFigures),
  };
}

/**
 * When the schedule fires next after `now`, where that can be known; a cron
 * is read in `timezone`.
 */
export function nextRunAt(
  schedule: SchedulerServiceTaskScheduleDefinition,
  timezone: string,
  lastRun: AutoRetryRun | undefined,
  now: DateTime,
): string | null {
  const { frequency } = schedule;
  if ('cron' in frequency) {
    return new CronTime(frequency.cron, timezone)
      .getNextDateFrom(now.setZone(timezone))
      .toUTC()
      .toISO();
  }
  if ('trigger' in frequency) {
    return null;
  }
  const every = Duration.isDuration(frequency)
    ? frequency
    : Duration.fromObject(frequency);
  const from = lastRun ? DateTime.fromISO(lastRun.startedAt) : now;
  return DateTime.max(from.plus(every), now).toUTC().toISO();
}

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
} from '../database/FailedMessageStore';
import { FailedMessagesSignals } from '../signals/FailedMessagesSignals';
import { AutomaticRetry } from './AutomaticRetry';
import { BulkRetries } from './BulkRetries';

export const AUTO_RETRY_TASK_ID = 'failed-messages-auto-retry';
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
  store: RetryClaimStore & RetentionStore;
  retentionDays: number;
  logger: LoggerService;
  signals: FailedMessagesSignals;
}) {
  const { scheduler, settings, automatic, bulkRetries, store } = options;
  if (settings.enabled) {
    await scheduler.scheduleTask({
      id: AUTO_RETRY_TASK_ID,
      scope: 'global',
      ...settings.schedule,
      // Aborted when the run times out or is cancelled: it stops claiming.
      fn: async signal => {
        await automatic.run(null, signal);
      },
    });
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
    },
  });
}

/** A run's figures as the routes show them. */
export function runFigures(run: AutoRetryRun) {
  return {
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    attempted: run.attempted,
    succeeded: run.succeeded,
    failed: run.failed,
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
    const last = await options.store.getLastAutoRetryRun();
    return {
      status: 'already-running',
      run: last && !last.finishedAt ? runFigures(last) : null,
    };
  }
  return { status: 'started' };
}

/** When the schedule fires next after `now`, where that can be known. */
export function nextRunAt(
  schedule: SchedulerServiceTaskScheduleDefinition,
  lastRun: AutoRetryRun | undefined,
  now: DateTime,
): string | null {
  const { frequency } = schedule;
  if ('cron' in frequency) {
    return new CronTime(frequency.cron, 'UTC')
      .getNextDateFrom(now)
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

import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { DateTime } from 'luxon';
import {
  ErrorCodeCatalogue,
  RetryAttempt,
} from '@msgops/plugin-failed-messages-common';
import {
  AutoRetryRun,
  AutoRetryRunStore,
  RetryCandidateReads,
} from '../database/FailedMessageStore';
import { RetryEngine } from './RetryEngine';
import { RetryRateLimiter } from './RetryRateLimiter';
import { retryPages } from './retryPages';

const CHUNK_SIZE = 200;

/**
 * Distinct reasons a run keeps for what it skipped; the reasons name
 * accounts and codes, so there are few, and the rest are summed.
 */
const MAX_SKIPPED_REASONS = 20;
const OTHER_REASONS = 'Other reasons';

/** A code that fails this share of a run's attempts pauses it… */
const DOMINANT_FAILURE_SHARE = 0.8;
/** …once the run has made at least this many attempts. */
const DOMINANT_FAILURE_MIN_ATTEMPTS = 20;

export interface AutomaticRetryOptions {
  store: AutoRetryRunStore & RetryCandidateReads;
  engine: RetryEngine;
  catalogue: ErrorCodeCatalogue;
  limiter: RetryRateLimiter;
  logger: LoggerService;
  clock?: () => DateTime;
  /**
   * Called when a run has ended, with its figures. Errors are logged, never
   * passed on.
   */
  onFinished?: (run: AutoRetryRun) => Promise<void> | void;
}

/** A run going on in this process; `run` once its start is recorded. */
interface RunInProgress {
  run?: AutoRetryRun;
  done: Promise<unknown>;
}

/**
 * The daily automatic run: retries retryable messages whose wait has passed
 * and whose automatic attempts are not used up. It leaves the numbers of an
 * account alone once WhatsApp reports a failure of that account (token,
 * lock, payment …; RetryEngine pauses it), and pauses as soon as the
 * provider reports a failure of the sending account (token, lock, payment …)
 * or one error code fails most of the run: resending then only burns
 * attempts. Messages it did not reach keep their attempts.
 *
 * It stops claiming once the scheduler aborts it (timeout, cancel) or the
 * backend shuts down; the sends in flight finish, or, cut off by the
 * shutdown, lapse into outcome-unknown. A process runs one at a time.
 */
export class AutomaticRetry {
  private readonly clock: () => DateTime;
  private readonly shutdown = new AbortController();
  private inProgress: RunInProgress | undefined;

  constructor(private readonly options: AutomaticRetryOptions) {
    this.clock = options.clock ?? (() => DateTime.utc());
  }

  /**
   * The run going on in this process, with its figures so far; null while
   * its start is being recorded, undefined when none is going.
   */
  get current(): AutoRetryRun | null | undefined {
    if (!this.inProgress) {
      return undefined;
    }
    const run = this.inProgress.run;
    return run
      ? { ...run, skipped: run.skipped.map(skip => ({ ...skip })) }
      : null;
  }

  /**
   * Runs now; 409 while another run of this process still sends or once the
   * backend is shutting down. `signal` is the scheduler's.
   */
  run(triggeredBy: string | null, signal?: AbortSignal): Promise<AutoRetryRun> {
    if (this.inProgress) {
      return Promise.reject(
        new ConflictError('An automatic retry run is still going'),
      );
    }
    if (this.shutdown.signal.aborted) {
      return Promise.reject(new ConflictError('The backend is shutting down'));
    }
    const inProgress: RunInProgress = { done: Promise.resolve() };
    const done = this.execute(triggeredBy, inProgress, signal).finally(() => {
      this.inProgress = undefined;
    });
    inProgress.done = done.catch(() => undefined);
    this.inProgress = inProgress;
    return done;
  }

  /**
   * Shutdown: the run stops claiming and its sends in flight get up to
   * `graceMs` to finish; claims still unfinished then lapse into
   * outcome-unknown, never resent blindly.
   */
  async stop(graceMs: number): Promise<void> {
    this.shutdown.abort();
    const done = this.inProgress?.done;
    if (!done) {
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>(resolve => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([done, grace]);
    clearTimeout(timer);
  }

  private async execute(
    triggeredBy: string | null,
    inProgress: RunInProgress,
    signal: AbortSignal | undefined,
  ): Promise<AutoRetryRun> {
    const { store, engine, catalogue, limiter, logger } = this.options;
    const startedAt = this.clock();
    const run = await store.startAutoRetryRun({
      startedAt: startedAt.toJSDate(),
      triggeredBy,
    });
    inProgress.run = run;
    const shutdown = this.shutdown.signal;

    const failuresByCode = new Map<string, number>();
    let pausedReason: string | null = null;
    const pause = (reason: string) => {
      if (!pausedReason) {
        pausedReason = reason;
        logger.warn(`Automatic retry paused: ${reason}`);
      }
    };

    let pauseCheck: Promise<void> = Promise.resolve();
    const everyAccountPaused = async () => {
      const paused = await engine.sending.pausedAccounts();
      const accounts = engine.sending.accountIds;
      if (paused.size && accounts.every(account => paused.has(account))) {
        pause(
          `Every account is paused: ${[...paused.values()]
            .map(({ account, reason }) => `${account}: ${reason}`)
            .join('; ')}`,
        );
      }
    };
    const count = (attempt: RetryAttempt) => {
      run.attempted += 1;
      if (attempt.outcome === 'succeeded') {
        run.succeeded += 1;
        return;
      }
      run.failed += 1;
      if (!attempt.error) {
        return;
      }
      const info = catalogue.lookup(attempt.error.code);
      if (info.accountLevel) {
        // The engine paused that account; the others go on, unless it was
        // the last one sending.
        pauseCheck = everyAccountPaused().catch(error =>
          logger.warn(`Reading the paused accounts failed: ${error}`),
        );
        return;
      }
      const failures = (failuresByCode.get(info.code) ?? 0) + 1;
      failuresByCode.set(info.code, failures);
      if (
        run.attempted >= DOMINANT_FAILURE_MIN_ATTEMPTS &&
        failures / run.attempted >= DOMINANT_FAILURE_SHARE
      ) {
        pause(
          `${failures} of ${run.attempted} retries failed with ${info.title} (${info.code}). ${info.action}`,
        );
      }
    };

    const skip = (reason: string) => {
      const known =
        run.skipped.find(entry => entry.reason === reason) ??
        (run.skipped.length < MAX_SKIPPED_REASONS
          ? undefined
          : run.skipped.find(entry => entry.reason === OTHER_REASONS));
      if (known) {
        known.count += 1;
      } else {
        run.skipped.push({
          reason:
            run.skipped.length < MAX_SKIPPED_REASONS ? reason : OTHER_REASONS,
          count: 1,
        });
      }
      run.skipped.sort((a, b) => b.count - a.count);
    };

    const stopped = () => {
      if (shutdown.aborted) {
        pause('The backend is shutting down.');
      } else if (signal?.aborted) {
        pause('The scheduler stopped the run (timeout or cancellation).');
      }
      return pausedReason !== null;
    };

    const maxAttempts = engine.maxAutomaticAttempts;
    async function* duePages() {
      let after: { nextAutomaticRetryAt: string; id: string } | undefined;
      while ((await everyAccountPaused(), !stopped())) {
        const due = await store.listDueForAutomaticRetry({
          now: startedAt.toJSDate(),
          maxAttempts,
          limit: CHUNK_SIZE,
          after,
        });
        if (due.length) {
          yield due;
        }
        if (due.length < CHUNK_SIZE) {
          return;
        }
        const last = due[due.length - 1].message;
        after = {
          nextAutomaticRetryAt: last.nextAutomaticRetryAt!,
          id: last.id,
        };
      }
    }
    await retryPages({
      engine,
      limiter,
      pages: duePages(),
      request: { trigger: 'automatic', actor: null },
      stopped,
      // Not retried now: the next run looks at it again.
      onSkipped: (_message, reason) => skip(reason),
      onSent: (_message, attempt) => count(attempt),
      onError: ({ message }, error) =>
        logger.error(
          `Automatic retry of message ${message.id} failed: ${error}`,
        ),
    });

    await pauseCheck;
    const finished = {
      ...run,
      pausedReason,
      finishedAt: this.clock().toJSDate(),
    };
    await store.finishAutoRetryRun(finished);
    logger.info(
      `Automatic retry run ${run.id}: ${run.attempted} attempted, ${
        run.succeeded
      } accepted, ${run.failed} failed, ${run.skipped.reduce(
        (sum, skipped) => sum + skipped.count,
        0,
      )} skipped${pausedReason ? `, paused: ${pausedReason}` : ''}`,
    );
    const result = {
      ...finished,
      finishedAt: finished.finishedAt.toISOString(),
    };
    if (this.options.onFinished) {
      try {
        await this.options.onFinished(result);
      } catch (error) {
        logger.warn(
          `Automatic retry run ${run.id}: reporting its end failed: ${error}`,
        );
      }
    }
    return result;
  }
}

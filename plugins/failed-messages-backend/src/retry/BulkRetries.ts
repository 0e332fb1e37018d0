import { LoggerService } from '@backstage/backend-plugin-api';
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { DateTime } from 'luxon';
import {
  AttemptOutcome,
  AttemptTrigger,
  BulkRetry,
  BulkRetryPreview,
  ErrorCodeCatalogue,
} from '@msgops/plugin-failed-messages-common';
import {
  BulkItemOutcome,
  BulkItemRecord,
  BulkRetryScope,
  BulkRetryStore,
  PendingBulkItem,
  RetryCandidate,
  RetryCandidateReads,
} from '../database/FailedMessageStore';
import { WriteBatcher } from '../database/WriteBatcher';
import { FailedMessagesSignals } from '../signals/FailedMessagesSignals';
import { BulkHeartbeat } from './BulkHeartbeat';
import { RetryEngine } from './RetryEngine';
import { previewBulkRetry } from './bulkPreview';
import { RetryRateLimiter } from './RetryRateLimiter';
import { retryPages } from './retryPages';

const CHUNK_SIZE = 200;

/** How an attempt's outcome counts in a bulk retry's progress. */
const ITEM_OUTCOME: Record<AttemptOutcome, BulkItemOutcome> = {
  succeeded: 'succeeded',
  failed: 'failed',
  'outcome-unknown': 'outcome-unknown',
  // A sent attempt always has its outcome.
  'in-progress': 'outcome-unknown',
};
/** A run without a stamp of its worker for this long is taken over. */
const HEARTBEAT_WINDOW_MS = 60_000;

export interface BulkRetriesOptions {
  store: BulkRetryStore & RetryCandidateReads;
  engine: RetryEngine;
  /** The catalogue the engine decides with: the preview's waits per code. */
  catalogue: ErrorCodeCatalogue;
  limiter: RetryRateLimiter;
  logger: LoggerService;
  /** Announces progress and status changes to open pages. */
  signals?: FailedMessagesSignals;
  clock?: () => DateTime;
  /** A run without a stamp for this long is taken over; one minute by default. */
  heartbeatWindowMs?: number;
  /**
   * Called once a run this process worked on has ended (completed, cancelled
   * or failed), with the run as stored after the status change. Errors are
   * logged, never passed on.
   */
  onFinished?: (bulk: BulkRetry) => Promise<void> | void;
}

/**
 * Bulk retries: a preview of what would happen, then a background run over
 * the messages fixed at creation, through the shared rate limiter, with
 * progress, cancellation and resumption after a restart. Each message goes
 * through the retry engine, so it is sent at most once per decision.
 */
export class BulkRetries {
  private readonly clock: () => DateTime;
  private readonly active = new Map<string, Promise<void>>();
  /** Runs cancelled on this replica stop at once; others at their next stamp. */
  private readonly cancelled = new Set<string>();
  /** Set on shutdown: runs stop without ending and resume after a restart. */
  private stopping = false;

  constructor(private readonly options: BulkRetriesOptions) {
    this.clock = options.clock ?? (() => DateTime.utc());
  }

  /** What a run would do now: matched, eligible and skipped by reason. */
  preview(scope: BulkRetryScope): Promise<BulkRetryPreview> {
    const { store, engine, catalogue } = this.options;
    return previewBulkRetry({
      store,
      engine,
      catalogue,
      scope,
      now: this.clock(),
    });
  }

  /** Creates a run and starts it in the background. */
  async start(options: {
    scope: BulkRetryScope;
    createdBy: string;
    reason: string | null;
    trigger?: AttemptTrigger;
  }): Promise<BulkRetry> {
    const bulk = await this.options.store.createBulkRetry({
      scope: options.scope,
      createdBy: options.createdBy,
      reason: options.reason,
      now: this.clock().toJSDate(),
    });
    this.options.signals?.bulkRetryChanged(bulk);
    this.work(bulk, options.trigger ?? 'bulk');
    return bulk;
  }

  async get(id: string): Promise<BulkRetry> {
    const bulk = await this.options.store.getBulkRetry(id);
    if (!bulk) {
      throw new NotFoundError(`No bulk retry with id ${id}`);
    }
    return bulk;
  }

  /** Stops a run; what was sent stays sent. */
  async cancel(id: string): Promise<BulkRetry> {
    const bulk = await this.get(id);
    const cancelled = await this.options.store.setBulkRetryStatus({
      id,
      from: ['running', 'paused'],
      to: 'cancelled',
      now: this.clock().toJSDate(),
    });
    if (cancelled) {
      this.cancelled.add(id);
      // A run working here announces its end when it stops; a run on another
      // replica, or paused, is announced now.
      if (!this.active.has(id)) {
        this.options.signals?.bulkRetryChanged({ id, status: 'cancelled' });
      }
    } else {
      throw new ConflictError(
        `Bulk retry ${id} is ${bulk.status}; only a running one can be cancelled`,
      );
    }
    return this.get(id);
  }

  /** Picks up runs whose worker died (called at start-up and regularly). */
  async resumeStale(): Promise<void> {
    for (const bulk of await this.options.store.listRunningBulkRetries()) {
      if (!this.active.has(bulk.id) && !this.stopping) {
        this.work(bulk, 'bulk');
      }
    }
  }

  /** Resolves when the runs of this process have stopped (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all(this.active.values());
  }

  /**
   * Shutdown: this process's runs stop taking new messages, finish the sends
   * in flight and record their outcomes, but stay running in the database;
   * once their heartbeat is stale, this or another replica resumes them.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.settled();
  }

  private work(bulk: BulkRetry, trigger: AttemptTrigger) {
    // Only this worker's token stamps or ends the run while it holds it.
    const ownerToken = randomUUID();
    const run = this.process(bulk, trigger, ownerToken)
      .catch(async error => {
        this.options.logger.error(`Bulk retry ${bulk.id} failed: ${error}`);
        try {
          await this.options.store.setBulkRetryStatus({
            id: bulk.id,
            from: ['running'],
            to: 'failed',
            now: this.clock().toJSDate(),
            ownerToken,
          });
          return true;
        } catch (statusError) {
          // With the database gone too, the run stays running and resumes
          // once its heartbeat is stale; an unhandled rejection here would
          // end the whole backend.
          this.options.logger.error(
            `Bulk retry ${bulk.id}: marking it failed failed too: ${statusError}`,
          );
          return false;
        }
      })
      .then(async worked => {
        if (worked) {
          await this.reportFinished(bulk.id);
        }
      })
      .finally(() => {
        this.active.delete(bulk.id);
        this.cancelled.delete(bulk.id);
      });
    this.active.set(bulk.id, run);
  }

  /**
   * Announces a run that has ended and hands it to `onFinished`; a run still
   * going is not.
   */
  private async reportFinished(id: string) {
    const { onFinished, signals, store, logger } = this.options;
    try {
      const final = await store.getBulkRetry(id);
      if (!final || final.status === 'running' || final.status === 'paused') {
        return;
      }
      signals?.bulkRetryChanged(final);
      await onFinished?.(final);
    } catch (error) {
      logger.warn(`Bulk retry ${id}: reporting its end failed: ${error}`);
    }
  }

  /** Works on a run; false when another worker holds it. */
  private async process(
    bulk: BulkRetry,
    trigger: AttemptTrigger,
    ownerToken: string,
  ): Promise<boolean> {
    const { store, logger } = this.options;
    const now = () => this.clock().toJSDate();
    const windowMs = this.options.heartbeatWindowMs ?? HEARTBEAT_WINDOW_MS;
    const claimed = await store.claimBulkRetryWork({
      id: bulk.id,
      ownerToken,
      now: now(),
      staleBefore: new Date(this.clock().toMillis() - windowMs),
    });
    if (!claimed) {
      return false;
    }
    const heartbeat = new BulkHeartbeat({
      store,
      logger,
      bulkRetryId: bulk.id,
      ownerToken,
      windowMs,
      now,
    });
    try {
      return await this.workOn(bulk, trigger, ownerToken, heartbeat);
    } finally {
      heartbeat.stop();
    }
  }

  /** Sends the run's pending messages while this worker holds it. */
  private async workOn(
    bulk: BulkRetry,
    trigger: AttemptTrigger,
    ownerToken: string,
    heartbeat: BulkHeartbeat,
  ): Promise<boolean> {
    const { store, engine, limiter, logger } = this.options;
    // Outcomes of many retries share one statement on the run's row, and a
    // retry does not hold its place in the queue while its outcome is
    // written; the run ends only once every outcome is.
    const outcomes = new WriteBatcher<BulkItemRecord>(async items => {
      await store.recordBulkItems(bulk.id, items);
      this.options.signals?.bulkRetryChanged({
        id: bulk.id,
        status: 'running',
      });
    });
    const unwritten = new Set<Promise<void>>();
    const record = (
      item: PendingBulkItem,
      outcome: Omit<BulkItemRecord, 'position'>,
    ) => {
      const written: Promise<void> = outcomes
        .add({ position: item.position, ...outcome })
        .catch(error =>
          logger.error(
            `Bulk retry ${bulk.id}: recording the outcome for message ${item.messageId} failed: ${error}`,
          ),
        )
        .finally(() => unwritten.delete(written));
      unwritten.add(written);
    };
    // Cancellation on another replica, or a take-over, shows up at the
    // next stamp.
    const stopped = () =>
      !heartbeat.holds || this.stopping || this.cancelled.has(bulk.id);
    const readPage = (after: number) => {
      const page = store.listPendingBulkItems(bulk.id, after, CHUNK_SIZE);
      // Read ahead: an error surfaces where the page is awaited.
      page.catch(() => undefined);
      return page;
    };
    async function* pendingPages() {
      // The next page is read while this one is handed out, so a fast run
      // never waits for the database between pages.
      let next = readPage(0);
      while (!stopped()) {
        const items = await next;
        if (!items.length) {
          return;
        }
        next = readPage(items[items.length - 1].position);
        const present: Array<PendingBulkItem & RetryCandidate> = [];
        for (const item of items) {
          if (item.message) {
            present.push({ ...item, message: item.message });
          } else {
            record(item, {
              outcome: 'skipped',
              skipReason: 'The message no longer exists.',
            });
          }
        }
        yield present;
      }
      // The page read ahead is not needed once the run stops; waiting for
      // it keeps its query from outliving the run.
      await next.catch(() => undefined);
    }
    await retryPages({
      engine,
      limiter,
      pages: pendingPages(),
      request: {
        trigger,
        actor: bulk.createdBy,
        reason: bulk.reason,
        bulkRetryId: bulk.id,
      },
      stopped,
      onSkipped: (item, reason) =>
        record(item, { outcome: 'skipped', skipReason: reason }),
      onRecorded: (item, attempt) =>
        record(item, {
          outcome: ITEM_OUTCOME[attempt.outcome],
          skipReason: null,
        }),
      onError: (item, error) =>
        logger.error(
          `Bulk retry ${bulk.id} of message ${item.messageId} failed: ${error}`,
        ),
    });
    await Promise.all(unwritten);
    if (this.stopping) {
      logger.info(
        `Bulk retry ${bulk.id} stopped for shutdown; it resumes after a restart`,
      );
      return false;
    }
    // Not completed when it stopped early, or another worker holds it now.
    if (
      !heartbeat.holds ||
      !(await store.setBulkRetryStatus({
        id: bulk.id,
        from: ['running'],
        to: 'completed',
        now: this.clock().toJSDate(),
        ownerToken,
      }))
    ) {
      logger.info(
        `Bulk retry ${bulk.id} stopped: it is no longer running here`,
      );
    }
    return true;
  }
}

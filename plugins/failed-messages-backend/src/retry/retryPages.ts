import { RetryAttempt } from '@msgops/plugin-failed-messages-common';
import { RetryCandidate } from '../database/FailedMessageStore';
import { InFlight } from './InFlight';
import { ClaimedRetry, RetryEngine, RetryRequest } from './RetryEngine';
import { RetryRateLimiter } from './RetryRateLimiter';

/** Outcomes sent but not yet stored, before a send waits for the database. */
const MAX_UNRECORDED = 500;

export interface RetryPagesOptions<T extends RetryCandidate> {
  engine: RetryEngine;
  limiter: RetryRateLimiter;
  /** The messages to retry, a page at a time. */
  pages: AsyncIterable<T[]>;
  request: RetryRequest;
  /** Once true, nothing more is sent and unsent claims are given back. */
  stopped: () => boolean;
  /** An item that will not be sent, and why. */
  onSkipped: (item: T, reason: string) => void;
  /** An item the provider has answered for (its outcome may not be stored yet). */
  onSent?: (item: T, attempt: RetryAttempt) => void;
  /** An item whose outcome is stored. */
  onRecorded?: (item: T, attempt: RetryAttempt) => void;
  onError: (item: T, error: unknown) => void;
}

/**
 * Retries the messages of a run (bulk or automatic) a chunk at a time: the
 * messages of a chunk are claimed together (one statement on PostgreSQL)
 * while the chunk before is being sent, the sends go through the shared rate
 * limiter, and outcomes are stored behind the sends, so a send waits for
 * neither. Claims the run never got to send (it was cancelled, paused or
 * shut down) are given back, so those messages keep their attempts. A
 * process that dies leaves them to lapse into outcome-unknown for review,
 * like a send in flight: never resent blindly.
 */
export async function retryPages<T extends RetryCandidate>(
  options: RetryPagesOptions<T>,
): Promise<void> {
  const { engine, limiter, request, stopped } = options;
  const unsent = new Set<{ item: T; claim: ClaimedRetry }>();
  const unrecorded = new InFlight();

  const claimChunk = async (items: T[]) => {
    if (stopped()) {
      return [];
    }
    const results = await engine.claimPage(items, request);
    const claimed = [];
    for (const [index, result] of results.entries()) {
      const item = items[index];
      if (result.kind === 'skipped') {
        options.onSkipped(item, result.reason);
      } else {
        const entry = { item, claim: result.claim };
        unsent.add(entry);
        claimed.push(entry);
      }
    }
    return claimed;
  };

  // Claims go in chunks of twice as many as may be sent at once: a chunk is
  // claimed while the one before is sent, and when the provider answers at
  // once a claim statement takes longer than a round of sends, so chunks of
  // one round left the slots waiting for claims (bench:retry a, 1,527/s
  // against 2,300/s). Few enough that a process that dies leaves only a few
  // chunks of unsent claims (with its sends in flight) to review.
  const chunkSize = 2 * limiter.concurrency;
  // Chunks run on across pages: a page's leftover items wait for the next
  // page instead of making a claim statement of a few.
  async function* chunks() {
    let items: T[] = [];
    for await (const page of options.pages) {
      items = items.concat(page);
      while (items.length >= chunkSize) {
        yield items.splice(0, chunkSize);
      }
    }
    if (items.length) {
      yield items;
    }
  }

  async function* claimedChunks() {
    const source = chunks();
    const claimNext = async () => {
      const next = await source.next();
      return next.done ? undefined : claimChunk(next.value);
    };
    let next = claimNext();
    // A failure surfaces where the chunk is awaited.
    next.catch(() => undefined);
    try {
      while (!stopped()) {
        const claimed = await next;
        if (!claimed) {
          return;
        }
        // The next chunk is claimed while this one is sent.
        next = claimNext();
        next.catch(() => undefined);
        yield claimed;
      }
    } finally {
      // Its claims, if any, are given back with the other unsent ones.
      await next.catch(() => undefined);
      // A stopped run's pages end by themselves; letting them keeps a page
      // they read ahead from outliving the run.
      if (stopped()) {
        await drain(source);
      }
    }
  }

  const send = async (entry: { item: T; claim: ClaimedRetry }) => {
    if (stopped()) {
      return;
    }
    // Its account was paused after the claim (another of its sends reported
    // an account error): the claim is given back with the unsent ones.
    const paused = await engine.sending.pausedReason(
      entry.claim.message,
      request,
    );
    if (paused) {
      options.onSkipped(entry.item, paused);
      return;
    }
    unsent.delete(entry);
    const { attempt, recorded } = await engine.deliver(entry.claim);
    options.onSent?.(entry.item, attempt);
    unrecorded.add(
      recorded
        .then(() => options.onRecorded?.(entry.item, attempt))
        .catch(error => options.onError(entry.item, error)),
    );
    // When the database falls behind the sends, the sends wait for it.
    await unrecorded.atMost(MAX_UNRECORDED);
  };

  try {
    await limiter.runAll(
      claimedChunks(),
      ({ claim }) => engine.sending.laneOf(claim.message),
      send,
      ({ item }, error) => options.onError(item, error),
      { stopped },
    );
  } finally {
    await engine.release([...unsent].map(({ claim }) => claim));
    await unrecorded.atMost(0);
  }
}

/** Reads an iterator to its end, ignoring what it yields and any error. */
async function drain(iterator: AsyncIterator<unknown>): Promise<void> {
  const end = { done: true as const, value: undefined };
  let next = await iterator.next().catch(() => end);
  while (!next.done) {
    next = await iterator.next().catch(() => end);
  }
}

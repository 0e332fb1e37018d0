import { CustomErrorBase } from '@backstage/errors';

/** Answered with 429: the person started as many retries as a minute allows. */
export class ManualRetryLimitError extends CustomErrorBase {
  name = 'ManualRetryLimitError' as const;
  /** Read by Backstage's error handler for the response's status. */
  readonly statusCode = 429;

  constructor(
    readonly limitPerMinute: number,
    /** Whole seconds until the oldest retry of the minute leaves it. */
    readonly retryAfterSeconds: number,
  ) {
    super(
      `You started ${limitPerMinute} retries in the last minute, the most failedMessages.retry.manualPerUserPerMinute allows; try again in ${retryAfterSeconds} seconds.`,
    );
  }
}

const MINUTE_MS = 60_000;

/**
 * How many retries each person may start per minute (a sliding minute): a
 * script or a stuck button cannot spend the provider's rate meant for
 * everyone. Per process, like the shared rate limiter.
 */
export class ManualRetryQuota {
  /** Start times within the last minute, oldest first, by person. */
  private readonly starts = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a retry by `actor`; throws ManualRetryLimitError past the limit. */
  take(actor: string): void {
    const now = this.now();
    const recent = (this.starts.get(actor) ?? []).filter(
      at => at > now - MINUTE_MS,
    );
    if (recent.length >= this.perMinute) {
      this.starts.set(actor, recent);
      throw new ManualRetryLimitError(
        this.perMinute,
        Math.max(1, Math.ceil((recent[0] + MINUTE_MS - now) / 1000)),
      );
    }
    recent.push(now);
    this.starts.set(actor, recent);
    this.forgetIdle(now);
  }

  /** Drops people with no retry in the last minute, so the map stays small. */
  private forgetIdle(now: number) {
    for (const [actor, starts] of this.starts) {
      if (starts[starts.length - 1] <= now - MINUTE_MS) {
        this.starts.delete(actor);
      }
    }
  }
}

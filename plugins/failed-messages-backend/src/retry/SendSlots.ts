import { SendLane } from '../numbers/BusinessNumbers';

/**
 * When each send may start, per business number, so that sends from a
 * number stay under its rate.
 */
export interface SendSlots {
  /** Resolves when the next send from `lane` may start. */
  take(lane: SendLane): Promise<void>;
}

/** A twentieth of a second's worth of sends may start at once after a quiet spell. */
export function burstOf(ratePerSecond: number): number {
  return Math.max(1, Math.ceil(ratePerSecond / 20));
}

export function sleep(ms: number): Promise<void> {
  return ms > 0
    ? new Promise(resolve => setTimeout(resolve, ms))
    : Promise.resolve();
}

/**
 * Start times handed out by this process's clock, one spacing apart per
 * number: enough where one process sends (SQLite). Start times come from the
 * clock, not from timers that open a window each tick: on a busy event loop
 * a timer fires late, and a window that opens late would lose its share of
 * the second, holding the rate below the limit.
 */
export class LocalSendSlots implements SendSlots {
  /** Per lane: when its next start may go, on performance.now()'s clock. */
  private readonly nextStartAt = new Map<string, number>();

  async take({ key, ratePerSecond }: SendLane): Promise<void> {
    const spacingMs = 1000 / ratePerSecond;
    const now = performance.now();
    const at = Math.max(
      this.nextStartAt.get(key) ?? 0,
      now - (burstOf(ratePerSecond) - 1) * spacingMs,
    );
    this.nextStartAt.set(key, at + spacingMs);
    await sleep(at - now);
  }
}

import { SendLane } from '../numbers/BusinessNumbers';
import { SendSlotStore } from '../database/FailedMessageStore';
import { burstOf, SendSlots, sleep } from './SendSlots';

/** How much of a number's time one reservation takes. */
const BLOCK_MS = 50;
/**
 * A reserved start this late is given up rather than used: used later, it
 * would add to the sends of a later second. Only a process that cannot keep
 * up (or an event loop held up this long) gives starts up.
 */
const MAX_LATENESS_MS = 100;

/** Reserved starts of one lane, on performance.now()'s clock. */
interface ReservedBlock {
  next: number;
  end: number;
  spacingMs: number;
}

/**
 * Start times shared by every replica through the database: a replica
 * reserves a block of a number's starts at once (one statement, on the
 * database's clock: `failed_message_send_slots`) and hands them out one
 * spacing apart. Blocks of all replicas follow each other on the number's
 * timeline, so together they never start more sends a second than the
 * number's rate. A block is a twentieth of a second of the number's sends
 * (at least one), so a replica reserves at most about twenty times a second
 * per number it sends from.
 */
export class SharedSendSlots implements SendSlots {
  private readonly blocks = new Map<string, ReservedBlock>();
  /** One reservation in flight per lane; takers wait for it together. */
  private readonly reserving = new Map<string, Promise<void>>();

  constructor(private readonly store: SendSlotStore) {}

  async take(lane: SendLane): Promise<void> {
    for (;;) {
      const block = this.blocks.get(lane.key);
      const now = performance.now();
      if (block) {
        if (block.next < now - MAX_LATENESS_MS) {
          // Skip the starts that are too late, keeping the block's spacing.
          const late = Math.ceil(
            (now - MAX_LATENESS_MS - block.next) / block.spacingMs,
          );
          block.next += late * block.spacingMs;
        }
        if (block.next < block.end) {
          const at = block.next;
          block.next += block.spacingMs;
          await sleep(at - now);
          return;
        }
      }
      await this.reserve(lane);
    }
  }

  private reserve(lane: SendLane): Promise<void> {
    let pending = this.reserving.get(lane.key);
    if (!pending) {
      pending = this.reserveBlock(lane).finally(() =>
        this.reserving.delete(lane.key),
      );
      this.reserving.set(lane.key, pending);
    }
    return pending;
  }

  private async reserveBlock({ key, ratePerSecond }: SendLane): Promise<void> {
    const spacingMs = 1000 / ratePerSecond;
    const count = Math.max(1, Math.ceil((ratePerSecond * BLOCK_MS) / 1000));
    const { firstAtMs, nowMs } = await this.store.reserveSendSlots({
      key,
      count,
      spacingMs,
      burstMs: (burstOf(ratePerSecond) - 1) * spacingMs,
    });
    // The database's times, moved onto this process's clock.
    const next = performance.now() + (firstAtMs - nowMs);
    this.blocks.set(key, { next, end: next + count * spacingMs, spacingMs });
  }
}

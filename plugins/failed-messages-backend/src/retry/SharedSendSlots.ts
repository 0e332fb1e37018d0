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
  start: number;
  next: number;
  end: number;
  spacingMs: number;
}

/** Whether less than half of the block's time is left to start sends in. */
function halfSpent(block: ReservedBlock, now: number): boolean {
  const left = block.end - Math.max(block.next, now - MAX_LATENESS_MS);
  return left < (block.end - block.start) / 2;
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
 *
 * Once half of a block's time is spent, the block after it is reserved
 * ahead: sends then do not wait for the database between blocks (they did,
 * for the 10 to 30 ms of each reservation, several times a second at high
 * rates). Reserving ahead only moves later starts to this replica; at most
 * one block a number stays unused when its sends stop.
 */
export class SharedSendSlots implements SendSlots {
  /** Per lane, its reserved blocks in time order: the one in use first. */
  private readonly blocks = new Map<string, ReservedBlock[]>();
  /** One reservation in flight per lane; takers wait for it together. */
  private readonly reserving = new Map<string, Promise<void>>();

  constructor(private readonly store: SendSlotStore) {}

  async take(lane: SendLane): Promise<void> {
    for (;;) {
      const now = performance.now();
      const blocks = this.blocks.get(lane.key) ?? [];
      const block = usableBlock(blocks, now);
      if (block) {
        const at = block.next;
        block.next += block.spacingMs;
        if (blocks.length === 1 && halfSpent(block, now)) {
          // Its failure surfaces at the take that needs the block.
          this.reserve(lane).catch(() => undefined);
        }
        await sleep(at - now);
        return;
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
    const blocks = this.blocks.get(key) ?? [];
    blocks.push({
      start: next,
      next,
      end: next + count * spacingMs,
      spacingMs,
    });
    this.blocks.set(key, blocks);
  }
}

/**
 * The first of a lane's blocks with a start left, skipping the starts that
 * are too late (keeping the block's spacing); spent blocks are dropped.
 */
function usableBlock(
  blocks: ReservedBlock[],
  now: number,
): ReservedBlock | undefined {
  while (blocks.length) {
    const block = blocks[0];
    if (block.next < now - MAX_LATENESS_MS) {
      const late = Math.ceil(
        (now - MAX_LATENESS_MS - block.next) / block.spacingMs,
      );
      block.next += late * block.spacingMs;
    }
    if (block.next < block.end) {
      return block;
    }
    blocks.shift();
  }
  return undefined;
}

import { SendSlotRequest, SendSlotStore } from '../database/FailedMessageStore';
import { SharedSendSlots } from './SharedSendSlots';

/** The database's timeline of one number, answering when the test says so. */
function slotStore() {
  let nextAtMs = 0;
  const calls: Array<{
    request: SendSlotRequest;
    answer: () => void;
    fail: (error: Error) => void;
  }> = [];
  const store: SendSlotStore = {
    sharedBetweenProcesses: true,
    reserveSendSlots: (request: SendSlotRequest) =>
      new Promise<{ firstAtMs: number; nowMs: number }>((resolve, reject) => {
        calls.push({
          request,
          answer: () => {
            const nowMs = performance.now();
            const span = request.count * request.spacingMs;
            nextAtMs = Math.max(nextAtMs, nowMs - request.burstMs) + span;
            resolve({ firstAtMs: nextAtMs - span, nowMs });
          },
          fail: reject,
        });
      }),
  };
  return { store, calls };
}

const flush = () => new Promise(resolve => setImmediate(resolve));
// 1,000 a second: blocks of 50 starts, one millisecond apart.
const lane = { key: 'number-1', ratePerSecond: 1000 };

describe('SharedSendSlots', () => {
  /** Takes n starts one after another. */
  async function takeStarts(slots: SharedSendSlots, n: number) {
    for (let i = 0; i < n; i++) {
      await slots.take(lane);
    }
  }

  it('reserves the next block once half of the one in use is spent, so sends do not wait for the database between blocks', async () => {
    const { store, calls } = slotStore();
    const slots = new SharedSendSlots(store);

    const first = slots.take(lane);
    await flush();
    calls[0].answer();
    await first;
    await takeStarts(slots, 24);
    expect(calls).toHaveLength(1);
    await takeStarts(slots, 1);
    expect(calls).toHaveLength(2);
    calls[1].answer();

    // The rest of the first block, then the second one's first start,
    // without asking the database again.
    await takeStarts(slots, 25);
    expect(calls).toHaveLength(2);
  });

  it('asks again when the reservation ahead failed', async () => {
    const { store, calls } = slotStore();
    const slots = new SharedSendSlots(store);

    const first = slots.take(lane);
    await flush();
    calls[0].answer();
    await first;
    await takeStarts(slots, 25);
    calls[1].fail(new Error('connection reset'));
    await takeStarts(slots, 24);

    const next = slots.take(lane);
    await flush();
    expect(calls).toHaveLength(3);
    calls[2].answer();
    await next;
  });
});

import { SendResult } from '@msgops/plugin-failed-messages-node';
import { SandboxSender } from './SandboxSender';

const REQUEST = {
  messageId: 'fm-0001',
  recipient: '+16505551234',
  phoneNumberId: null,
  payload: { type: 'text', text: { body: 'Hello' } },
};

/** A `random` that returns the given draws in turn. */
function drawing(...draws: number[]): () => number {
  const remaining = [...draws];
  return () => {
    const draw = remaining.shift();
    if (draw === undefined) {
      throw new Error('No draws left');
    }
    return draw;
  };
}

async function sendTimes(
  sender: SandboxSender,
  times: number,
): Promise<SendResult[]> {
  const results: SendResult[] = [];
  for (let i = 0; i < times; i++) {
    results.push(await sender.send(REQUEST));
  }
  return results;
}

function outcomeOf(result: SendResult): string {
  return result.outcome === 'accepted' ? 'accepted' : result.error.code;
}

describe('SandboxSender', () => {
  it('maps draws onto 70% accepted, 15% 130429, 5% each of 131000, 131026 and network-error', async () => {
    const sender = new SandboxSender({
      random: drawing(
        0,
        0.6999,
        0.7,
        0.8499,
        0.85,
        0.8999,
        0.9,
        0.9499,
        0.95,
        0.9999,
      ),
      latencyMs: 0,
    });

    const results = await sendTimes(sender, 10);

    expect(results.map(outcomeOf)).toEqual([
      'accepted',
      'accepted',
      '130429',
      '130429',
      '131000',
      '131000',
      '131026',
      '131026',
      'network-error',
      'network-error',
    ]);
  });

  it('shapes errors like the WhatsApp Cloud API sender does', async () => {
    const sender = new SandboxSender({
      random: drawing(0.7, 0.85, 0.9, 0.95),
      latencyMs: 0,
    });

    const results = await sendTimes(sender, 4);

    expect(results).toEqual([
      {
        outcome: 'failed',
        error: {
          code: '130429',
          title: 'Rate limit hit',
          message: '(#130429) Rate limit hit',
          details: expect.stringContaining('too many messages'),
        },
      },
      {
        outcome: 'failed',
        error: {
          code: '131000',
          title: 'Something went wrong',
          message: '(#131000) Something went wrong',
          details: expect.stringContaining('unknown error'),
        },
      },
      {
        outcome: 'failed',
        error: {
          code: '131026',
          title: 'Message undeliverable',
          message: '(#131026) Message undeliverable',
          details: expect.stringContaining('not a WhatsApp user'),
        },
      },
      {
        outcome: 'failed',
        error: {
          code: 'network-error',
          title: null,
          message: 'Could not reach WhatsApp within 15000 ms',
          details: null,
        },
      },
    ]);
  });

  it('gives every accepted send its own wamid', async () => {
    const results = await sendTimes(
      new SandboxSender({ random: () => 0, latencyMs: 0 }),
      200,
    );

    const ids = results.map(result =>
      result.outcome === 'accepted' ? result.providerMessageId : undefined,
    );
    expect(new Set(ids).size).toBe(200);
    for (const id of ids) {
      expect(id).toMatch(/^wamid\.SANDBOX[\w-]+$/);
    }
  });

  it('plays the same roughly realistic sequence on every start by default', async () => {
    const first = (
      await sendTimes(new SandboxSender({ latencyMs: 0 }), 1000)
    ).map(outcomeOf);
    const second = (
      await sendTimes(new SandboxSender({ latencyMs: 0 }), 1000)
    ).map(outcomeOf);

    expect(second).toEqual(first);
    const share = (outcome: string) =>
      first.filter(o => o === outcome).length / first.length;
    expect(share('accepted')).toBeCloseTo(0.7, 1);
    expect(share('130429')).toBeCloseTo(0.15, 1);
    for (const outcome of ['131000', '131026', 'network-error']) {
      expect(share(outcome)).toBeGreaterThan(0.02);
      expect(share(outcome)).toBeLessThan(0.08);
    }
  });

  it('answers after the configured latency', async () => {
    const sender = new SandboxSender({ random: () => 0, latencyMs: 50 });

    const start = Date.now();
    await sender.send(REQUEST);

    expect(Date.now() - start).toBeGreaterThanOrEqual(45);
  });
});

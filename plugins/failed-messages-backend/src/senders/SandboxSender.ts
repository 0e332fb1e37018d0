import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from '@msgops/plugin-failed-messages-common';
import {
  MessageSender,
  SendRequest,
  SendResult,
} from '@msgops/plugin-failed-messages-node';
import { seededRandom } from '../demo/seededRandom';

/** Shaped like what {@link WhatsAppCloudSender} makes of a Graph error. */
function graphError(code: number, title: string, details: string) {
  return {
    code: String(code),
    title,
    message: `(#${code}) ${title}`,
    details,
  };
}

// Roughly what a busy sender sees: 70% accepted, 15% rate limited, 5% each
// of an unknown failure, an undeliverable number and a network error. An
// outcome is drawn when `random()` falls below its bound; bounds rather than
// shares, so that summing floats cannot shift the edges.
const SIMULATED_OUTCOMES: Array<{
  below: number;
  error: ProviderError | null;
}> = [
  { below: 0.7, error: null },
  {
    below: 0.85,
    error: graphError(
      130429,
      'Rate limit hit',
      'Message failed to send because there were too many messages sent ' +
        'from this phone number in a short period of time.',
    ),
  },
  {
    below: 0.9,
    error: graphError(
      131000,
      'Something went wrong',
      'Message failed to send due to an unknown error.',
    ),
  },
  {
    below: 0.95,
    error: graphError(
      131026,
      'Message undeliverable',
      'Message failed to send because the recipient is not a WhatsApp ' +
        'user, has not accepted the latest terms, or uses an outdated app.',
    ),
  },
  {
    below: 1,
    error: {
      code: 'network-error',
      title: null,
      message: 'Could not reach WhatsApp within 15000 ms',
      details: null,
    },
  },
];

const DEMO_SEED = 20260901;

/**
 * Random rather than drawn from `random`, so that ids stay unique across
 * instances and restarts that replay the same sequence of outcomes.
 */
function sandboxWamid(): string {
  return `wamid.SANDBOX${randomBytes(18).toString('base64url')}`;
}

/**
 * Pretends to be the WhatsApp Cloud API for demos: answers each send after a
 * short delay with an outcome drawn from {@link SIMULATED_OUTCOMES}, without
 * contacting Meta.
 */
export class SandboxSender implements MessageSender {
  private readonly random: () => number;
  private readonly latencyMs: number;

  constructor(options?: { random?: () => number; latencyMs?: number }) {
    this.random = options?.random ?? seededRandom(DEMO_SEED);
    this.latencyMs = options?.latencyMs ?? 50;
  }

  // Every request is treated alike: the outcome depends only on the draw.
  async send(_request: SendRequest): Promise<SendResult> {
    if (this.latencyMs > 0) {
      await sleep(this.latencyMs);
    }
    const error = this.drawError();
    if (error) {
      // A copy, so that a caller cannot alter the shared table.
      return { outcome: 'failed', error: { ...error } };
    }
    return { outcome: 'accepted', providerMessageId: sandboxWamid() };
  }

  private drawError(): ProviderError | null {
    const draw = this.random();
    // An injected `random` might return 1; the last outcome takes it.
    const drawn =
      SIMULATED_OUTCOMES.find(({ below }) => draw < below) ??
      SIMULATED_OUTCOMES[SIMULATED_OUTCOMES.length - 1];
    return drawn.error;
  }
}

/*
 * The plugin's real retry objects for the bench, with the store and the
 * sender timed per method.
 */
import { performance } from 'node:perf_hooks';
import { Knex } from 'knex';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ErrorCodeCatalogue } from '@msgops/plugin-failed-messages-common';
import { FailedMessageStore } from '../../src/database/FailedMessageStore';
import { KnexFailedMessageStore } from '../../src/database/KnexFailedMessageStore';
import { BulkRetries } from '../../src/retry/BulkRetries';
import { RetryEngine } from '../../src/retry/RetryEngine';
import { RetryRateLimiter } from '../../src/retry/RetryRateLimiter';
import { WhatsAppCloudSender } from '../../src/senders/WhatsAppCloudSender';
import { StandIn } from './standIn';
import { BusinessNumbers } from '../../src/numbers/BusinessNumbers';
import { isPostgres } from '../../src/database/tables';
import { LocalSendSlots } from '../../src/retry/SendSlots';
import { SharedSendSlots } from '../../src/retry/SharedSendSlots';

/** A LoggerService that keeps warnings and errors and drops the rest. */
function benchLogger(): LoggerService & { problems: string[] } {
  const problems: string[] = [];
  const logger = {
    problems,
    error(message: string) {
      problems.push(`error: ${message}`);
    },
    warn(message: string) {
      problems.push(`warn: ${message}`);
    },
    info() {},
    debug() {},
    child() {
      return logger;
    },
  };
  return logger;
}

/** Wall time and calls per method: where the time of a retry goes. */
type Timings = Map<string, { calls: number; ms: number }>;

function timed<T extends object>(target: T, prefix: string, into: Timings): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') {
        return value;
      }
      return (...args: unknown[]) => {
        const started = performance.now();
        const result = value.apply(obj, args);
        if (!(result instanceof Promise)) {
          return result;
        }
        return result.finally(() => {
          const key = `${prefix}.${prop}`;
          const entry = into.get(key) ?? { calls: 0, ms: 0 };
          entry.calls += 1;
          entry.ms += performance.now() - started;
          into.set(key, entry);
        });
      };
    },
  });
}

export function retryObjects(
  knex: Knex,
  standIn: StandIn,
  limits: { ratePerSecond: number; concurrency: number },
) {
  const timings: Timings = new Map();
  const logger = benchLogger();
  const store = timed<FailedMessageStore>(
    new KnexFailedMessageStore(knex),
    'store',
    timings,
  );
  // One account with one number at the scenario's rate: the messages carry
  // none, so they go out from the only configured number.
  const numbers = new BusinessNumbers(
    [
      {
        id: 'bench',
        wabaId: '1',
        accessToken: 'bench',
        numbers: [
          {
            phoneNumberId: '1',
            label: 'Bench',
            ratePerSecond: limits.ratePerSecond,
          },
        ],
      },
    ],
    limits.ratePerSecond,
  );
  const sender = timed(
    new WhatsAppCloudSender(
      { baseUrl: standIn.baseUrl, apiVersion: 'v23.0', timeoutMs: 15000 },
      numbers.accounts,
    ),
    'sender',
    timings,
  );
  const catalogue = new ErrorCodeCatalogue();
  const engine = new RetryEngine({
    store,
    catalogue,
    sender,
    numbers,
    logger,
    maxAutomaticAttempts: 3,
  });
  // As the plugin chooses: shared by every replica on PostgreSQL.
  const limiter = new RetryRateLimiter(
    limits,
    isPostgres(knex) ? new SharedSendSlots(store) : new LocalSendSlots(),
  );
  const bulk = new BulkRetries({ store, engine, catalogue, limiter, logger });
  return { store, engine, bulk, logger, timings };
}

/* The retry bench's command-line options and scenario settings (see retry.ts). */
import { option } from '../benchSupport';

export const SCENARIOS = new Set(
  option('scenarios', 'a,b,c,d,e,f,p')
    .split(',')
    .map(s => s.trim()),
);
export const MESSAGES = Number(option('messages', '100000'));
export const ROUNDS = Number(option('rounds', '3'));
export const CONCURRENCY = Number(option('concurrency', '32'));
export const POOL = Number(option('pool', '10'));
export const BULK_ROWS = Number(option('bulk-rows', '1000000'));
export const BULK_SECONDS = Number(option('bulk-seconds', '90'));
export const MAX_MS = Number(option('max-seconds', '120')) * 1000;
export const REPLICA_MESSAGES = Number(option('replica-messages', '20000'));
export const PREVIEW_ROWS = Number(option('preview-rows', '1000000'));
export const PREVIEW_RUNS = Number(option('preview-runs', '5'));
export const REDIS_URL = new URL(
  process.env.FAILED_MESSAGES_BENCH_REDIS ?? 'redis://127.0.0.1:6379',
);

/** The rate-limited scenarios: enough messages for about 15-20 s of sends. */
export const LIMITED = {
  b: { ratePerSecond: 80, concurrency: 20, latencyMs: 100, messages: 1500 },
  c: { ratePerSecond: 1000, concurrency: 200, latencyMs: 100, messages: 15000 },
};
/** "No rate limit": far above anything the engine reaches. */
export const UNLIMITED_RATE = 1_000_000;

/*
 * `yarn bench:retry`: throughput, rate limiting and memory of retries.
 *
 * Builds the plugin's real retry objects (KnexFailedMessageStore, RetryEngine,
 * WhatsAppCloudSender, RetryRateLimiter, BulkRetries) on a dedicated
 * PostgreSQL database (`failed_messages_bench_retry`, dropped and re-created
 * on every run) and sends through a local HTTP stand-in for Meta's Cloud API,
 * which runs in a child process so that its memory and event loop are not the
 * backend's. Scenarios:
 *   a  bulk retry of --messages eligible messages, no rate limit, 0 ms latency
 *   b  ratePerSecond 80, concurrency 20, 100 ms latency (Meta's default)
 *   c  ratePerSecond 1000, concurrency 200, 100 ms latency (Meta's top tier)
 *   d  bulk retry over --bulk-rows matching messages: RSS growth while it runs
 *      (bounded by --bulk-seconds, then cancelled)
 *   e  the same --messages resends with BullMQ on the local Redis: jobs fail
 *      once, are retried with `queue.retryJobs`, and a worker sends them to
 *      the same stand-in
 *   f  two replicas (each its own store, pool, limiter and bulk run) send
 *      --replica-messages from one number at ratePerSecond 1000, concurrency
 *      200, 100 ms latency: the deployment's rate, which PostgreSQL holds
 *   p  the preview (dry run) of a bulk retry over --preview-rows messages as
 *      `yarn bench:api` seeds them, all and the retryable ones, checked
 *      against deciding each message in the process
 * Every scenario checks that the stand-in got exactly one request per
 * message. It prints a table and, last, one line of JSON with every figure.
 * The parts are in bench/retry/.
 *
 * Options:
 *   --scenarios=a,b,c,d,e,f,p  which scenarios to run (default all)
 *   --messages=100000      messages of scenarios a and e
 *   --rounds=3             rounds of a and e, one after the other in each
 *                          (the machine's speed drifts); each reports its
 *                          median round, and e compares the medians
 *   --concurrency=32       sends in flight in a, d and e (the worker's too)
 *   --pool=10              maximum connections of the knex pool
 *   --bulk-rows=1000000    messages of scenario d
 *   --bulk-seconds=90      how long scenario d sends before it is cancelled
 *   --max-seconds=120      a, b, c or e is cancelled after this long; the
 *                          figures then say how far it got (at the engine's
 *                          present speed, a does not finish 100,000 in it)
 *   --replica-messages=20000 messages of scenario f
 *   --preview-rows=1000000 messages of scenario p
 *   --preview-runs=5       timed previews per scope in p (after one untimed)
 * Environment:
 *   FAILED_MESSAGES_BENCH_PG     server URL without database name
 *                                (default postgresql://postgres@127.0.0.1:5432)
 *   FAILED_MESSAGES_BENCH_REDIS  Redis URL (default redis://127.0.0.1:6379)
 *
 * Run with --expose-gc so the memory baseline is taken after a full GC.
 */
import { performance } from 'node:perf_hooks';
import {
  freshBenchDatabase,
  gc,
  gcExposed,
  log,
  machineFacts,
  MB,
  round,
  runBench,
} from './benchSupport';
import { runBullMq } from './retry/bullMq';
import { countQueries, runBulk } from './retry/bulkRun';
import {
  BULK_ROWS,
  BULK_SECONDS,
  CONCURRENCY,
  LIMITED,
  MAX_MS,
  MESSAGES,
  POOL,
  PREVIEW_ROWS,
  REPLICA_MESSAGES,
  ROUNDS,
  SCENARIOS,
  UNLIMITED_RATE,
} from './retry/options';
import { runPreview } from './retry/preview';
import { runReplicas } from './retry/replicas';
import { medianRound, printReport, RetryResults } from './retry/report';
import { seed } from './retry/seed';
import { StandIn } from './retry/standIn';

const BENCH_DB = 'failed_messages_bench_retry';

async function main() {
  const runStarted = performance.now();
  if (
    !(MESSAGES > 0) ||
    !(CONCURRENCY > 0) ||
    !(BULK_ROWS > 0) ||
    !Number.isInteger(ROUNDS) ||
    !(ROUNDS > 0)
  ) {
    throw new Error(
      'Invalid --messages, --concurrency, --bulk-rows or --rounds',
    );
  }
  const knex = await freshBenchDatabase(BENCH_DB, POOL);
  countQueries(knex);
  const machine = await machineFacts(knex);
  const standIn = await StandIn.start();

  const results: RetryResults = {};

  // First, on the empty database: the other scenarios empty the tables.
  if (SCENARIOS.has('p')) {
    log(`p: bulk preview over ${PREVIEW_ROWS} messages`);
    results.p = await runPreview(knex, standIn);
  }

  if (SCENARIOS.has('a') || SCENARIOS.has('e')) {
    const rounds: NonNullable<RetryResults['rounds']> = [];
    for (let roundNumber = 1; roundNumber <= ROUNDS; roundNumber++) {
      log(
        `round ${roundNumber} of ${ROUNDS}: seeding ${MESSAGES} eligible messages`,
      );
      const seedMs = await seed(knex, MESSAGES);
      const done: (typeof rounds)[number] = {};
      if (SCENARIOS.has('e')) {
        log(`e: BullMQ, ${MESSAGES} jobs, concurrency ${CONCURRENCY}`);
        done.e = await runBullMq(standIn, knex);
        log(`  ${JSON.stringify(done.e)}`);
      }
      if (SCENARIOS.has('a')) {
        log(`a: bulk retry, no rate limit, concurrency ${CONCURRENCY}`);
        done.a = await runBulk(
          knex,
          standIn,
          {
            messages: MESSAGES,
            ratePerSecond: UNLIMITED_RATE,
            concurrency: CONCURRENCY,
            latencyMs: 0,
            maxMs: MAX_MS,
          },
          seedMs,
        );
        log(`  ${JSON.stringify(done.a)}`);
      }
      rounds.push(done);
    }
    results.rounds = rounds;
    results.a = medianRound(rounds.flatMap(r => (r.a ? [r.a] : [])));
    results.e = medianRound(rounds.flatMap(r => (r.e ? [r.e] : [])));
  }

  for (const key of ['b', 'c'] as const) {
    if (!SCENARIOS.has(key)) continue;
    const s = LIMITED[key];
    log(`${key}: ${s.ratePerSecond}/s, concurrency ${s.concurrency}`);
    const seedMs = await seed(knex, s.messages);
    results[key] = await runBulk(
      knex,
      standIn,
      { ...s, maxMs: MAX_MS },
      seedMs,
    );
    log(`  ${JSON.stringify(results[key])}`);
  }

  if (SCENARIOS.has('f')) {
    const f = { ...LIMITED.c, messages: REPLICA_MESSAGES, maxMs: MAX_MS };
    log(`f: two replicas, one number at ${f.ratePerSecond}/s`);
    await seed(knex, f.messages);
    results.f = await runReplicas(knex, standIn, f);
    log(`  ${JSON.stringify(results.f)}`);
  }

  if (SCENARIOS.has('d')) {
    log(`d: bulk retry over ${BULK_ROWS} messages, memory`);
    const seedMs = await seed(knex, BULK_ROWS);
    const run = await runBulk(
      knex,
      standIn,
      {
        messages: BULK_ROWS,
        ratePerSecond: UNLIMITED_RATE,
        concurrency: CONCURRENCY,
        latencyMs: 0,
        maxMs: BULK_SECONDS * 1000,
      },
      seedMs,
    );
    gc();
    const afterGc = process.memoryUsage().rss;
    results.d = {
      ...run,
      afterGcMb: round(afterGc / MB, 1),
      gcExposed: gcExposed(),
    };
    log(`  ${JSON.stringify(results.d)}`);
  }

  await standIn.stop();
  await knex.destroy();

  printReport(
    results,
    machine,
    Math.round((performance.now() - runStarted) / 1000),
  );
}

runBench(main);

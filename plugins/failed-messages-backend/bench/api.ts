/*
 * `yarn bench:api`: latency of the failed-messages read API against PostgreSQL.
 *
 * Seeds 10,000 and then 1,000,000 failed messages into a dedicated database
 * (`failed_messages_bench`, dropped and re-created on every run), serves the
 * plugin from a real Backstage test backend that uses that database, and
 * reports p50/p95 of
 *   - GET /messages with each single filter (sorted by failedAt, page of 50),
 *   - GET /summary,
 *   - GET /statistics over 90 days, by day, by week and of one campaign, at
 *     the largest size once as many attempts and the delivery counts of ten
 *     times as many sends are seeded, with the rows one request reads,
 * each beside the same SQL run directly on the same knex/pg client, and the
 * RSS growth of the process while it serves them plus the CSV export of every
 * row. It prints a table and, last, one line of JSON with every figure. The
 * overhead of the API over the store (API p50 − store p50) is judged against
 * a bound of 2 ms per scenario; the ratio of the two is reported beside it.
 * The parts are in bench/api/.
 *
 * Options:
 *   --rows=10000,1000000   table sizes to measure, ascending (default)
 *   --iterations=100       measured requests per scenario (after 5 warm-ups)
 *   --budget=30            seconds per scenario; slow scenarios stop early
 *                          (never below 20 samples)
 *   --export-timeout=180   seconds after which the CSV export is abandoned;
 *                          the figures then say how far it got
 * Environment:
 *   FAILED_MESSAGES_BENCH_PG  server URL without database name
 *                             (default postgresql://postgres@127.0.0.1:5432)
 *
 * Run with --expose-gc so the memory figures are taken after a full GC.
 */
import { performance } from 'node:perf_hooks';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { failedMessagesPlugin } from '../src/plugin';
import { KnexFailedMessageStore } from '../src/database/KnexFailedMessageStore';
import {
  freshBenchDatabase,
  gc,
  log,
  machineFacts,
  runBench,
} from './benchSupport';
import { benchClient } from './api/client';
import {
  memoryAfterExport,
  MemoryResult,
  RssSampler,
  SizeResult,
  WARMUP,
} from './api/measure';
import { BUDGET_MS, EXPORT_TIMEOUT_MS, ITERATIONS, SIZES } from './api/options';
import { printReport } from './api/report';
import {
  measureList,
  measureSummary,
  PAGE,
  ScenarioContext,
} from './api/scenarios';
import { seedTo } from './api/seed';
import { measureStatistics } from './api/statistics';
import { judge } from './api/targets';

const BENCH_DB = 'failed_messages_bench';
const BASE = '/api/failed-messages';

async function main() {
  const runStarted = performance.now();
  if (!SIZES.length || !(ITERATIONS > 0)) {
    throw new Error('Invalid --rows or --iterations');
  }

  // One client for the plugin and for the raw SQL, so both use the same pool.
  const knex = await freshBenchDatabase(BENCH_DB, 10);
  const machine = await machineFacts(knex);

  const anchor = new Date();
  let seeded = 0;

  log('starting backend');
  const backend = await startTestBackend({
    features: [
      failedMessagesPlugin,
      mockServices.rootConfig.factory({
        data: { failedMessages: { sender: 'sandbox' } },
      }),
      // The plugin gets exactly the bench database and this knex client.
      mockServices.database.factory({ knex, migrations: { skip: true } }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    ],
  });
  const client = benchClient(
    `http://127.0.0.1:${backend.server.port()}${BASE}`,
    mockCredentials.user.header('user:default/bench'),
  );
  const context: ScenarioContext = {
    knex,
    store: new KnexFailedMessageStore(knex),
    getJson: client.getJson,
    lines: [],
  };

  const results: Record<number, SizeResult> = {};
  let memory: MemoryResult | undefined;

  for (const size of SIZES) {
    log(`seeding to ${size} rows`);
    const seedMs = await seedTo(knex, seeded, size, anchor);
    seeded = size;
    const isLargest = size === SIZES[SIZES.length - 1];

    gc();
    const sampler = new RssSampler();
    const baseline = process.memoryUsage().rss;
    if (isLargest) sampler.start();

    const list = await measureList(context, size);
    const summary = await measureSummary(context, size);

    if (isLargest) {
      log(`  ${size} CSV export of all rows`);
      const csv = await client.exportCsv(size, EXPORT_TIMEOUT_MS);
      sampler.stop();
      if (csv.exportComplete && csv.csvLines !== size + 1) {
        throw new Error(
          `export has ${csv.csvLines} lines, expected ${size + 1}`,
        );
      }
      memory = memoryAfterExport(size, baseline, sampler.peak, csv);
    }

    results[size] = {
      seedMs: Math.round(seedMs),
      list,
      summary,
      // Last, so the list, summary and export figures stay comparable with
      // earlier runs, which had no attempts.
      ...(isLargest && {
        statistics: await measureStatistics(context, size, anchor),
      }),
    };
  }

  // An abandoned export may still hold a query; give it a moment to end.
  if (memory && !memory.exportComplete) {
    await new Promise(resolve => setTimeout(resolve, 3000));
  }
  client.close();
  await backend.stop();
  await knex.destroy();

  printReport({
    lines: context.lines,
    sizes: SIZES,
    results,
    memory,
    judged: judge(SIZES, results, memory, EXPORT_TIMEOUT_MS),
    machine,
    method: {
      sizes: SIZES,
      iterationsPerScenario: ITERATIONS,
      warmup: WARMUP,
      budgetSecondsPerScenario: BUDGET_MS / 1000,
      page: PAGE,
      sort: 'failedAt desc',
    },
    totalSeconds: Math.round((performance.now() - runStarted) / 1000),
  });
}

runBench(main);

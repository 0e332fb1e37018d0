/*
 * Scenarios a to d: one bulk retry over every seeded message, timed from the
 * stand-in's side, with the statements, calls and memory it took.
 */
import { performance } from 'node:perf_hooks';
import { Knex } from 'knex';
import { gc, log, MB, round, sleep } from '../benchSupport';
import { UNLIMITED_RATE } from './options';
import { retryObjects } from './retryObjects';
import { attemptCounts } from './seed';
import { StandIn, StandInStats } from './standIn';

export interface RunResult {
  messages: number;
  ratePerSecond: number | null;
  concurrency: number;
  latencyMs: number;
  seedSeconds: number;
  /** createBulkRetry: the snapshot of matching ids, made in SQL. */
  createSeconds: number;
  /** From start() to the last outcome recorded. */
  runSeconds: number;
  processed: number;
  succeeded: number;
  complete: boolean;
  /** processed / runSeconds. */
  wholeRate: number;
  /** Sends per second at the stand-in between 10% and 90% of them. */
  steadyRate: number;
  peakPerSecond: number;
  standIn: StandInStats;
  attemptsInDb: number;
  /** Queries sent to PostgreSQL per processed message (incl. BEGIN/COMMIT). */
  queriesPerMessage: number;
  /**
   * The engine's process over the run: how busy its event loop was (0-1),
   * and its CPU time (all threads: JavaScript, garbage collection, I/O) per
   * message sent.
   */
  engine: { eventLoopUtilization: number; cpuMicrosPerMessage: number };
  /** Mean wall ms per call of each store method and of the send. */
  msPerCall: Record<string, { callsPerMessage: number; ms: number }>;
  /** RSS after a full GC before start(), its peak growth, heap-used peak. */
  memory: { baselineMb: number; peakGrowthMb: number; heapPeakMb: number };
  problems: string[];
  correct: boolean;
}

export interface BulkRunOptions {
  messages: number;
  ratePerSecond: number;
  concurrency: number;
  latencyMs: number;
  maxMs: number;
}

let queryCount = 0;

/** Counts the statements sent to PostgreSQL (BEGIN and COMMIT included). */
export function countQueries(knex: Knex) {
  knex.on('query', () => {
    queryCount += 1;
  });
}

export async function runBulk(
  knex: Knex,
  standIn: StandIn,
  options: BulkRunOptions,
  seedMs: number,
): Promise<RunResult> {
  await standIn.configure({ latencyMs: options.latencyMs, mode: 'accept' });
  const { store, bulk, logger, timings } = retryObjects(knex, standIn, {
    ratePerSecond: options.ratePerSecond,
    concurrency: options.concurrency,
  });
  gc();
  const baseline = process.memoryUsage().rss;
  let peakRss = baseline;
  let peakHeap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const queriesBefore = queryCount;
  const loopBefore = performance.eventLoopUtilization();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const created = await bulk.start({
    scope: { filter: {} },
    createdBy: 'user:default/bench',
    reason: null,
  });
  const createMs = performance.now() - started;
  log(
    `  bulk retry of ${created.total} created in ${round(
      createMs / 1000,
      2,
    )} s`,
  );
  let done = false;
  const settled = bulk.settled().then(() => {
    done = true;
  });
  let lastLog = performance.now();
  let cancelled = false;
  while (!done) {
    await sleep(200);
    sample();
    if (!done && performance.now() - started > options.maxMs && !cancelled) {
      log(`  time is up after ${round(options.maxMs / 1000, 1)} s: cancelling`);
      cancelled = true;
      await bulk.cancel(created.id).catch(() => undefined);
    }
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      const progress = await store.getBulkRetry(created.id);
      log(
        `  ${progress?.processed} of ${created.total} after ${round(
          (lastLog - started) / 1000,
          1,
        )} s`,
      );
    }
  }
  await settled;
  const runMs = performance.now() - started;
  const loop = performance.eventLoopUtilization(loopBefore);
  const cpu = process.cpuUsage(cpuBefore);
  sample();
  const queries = queryCount - queriesBefore;
  const final = (await store.getBulkRetry(created.id))!;
  const seen = await standIn.stats();
  const inDb = await attemptCounts(knex);
  const processed = final.processed;
  const msPerCall: RunResult['msPerCall'] = {};
  for (const [name, t] of [...timings.entries()].sort()) {
    msPerCall[name] = {
      callsPerMessage: round(t.calls / Math.max(1, processed), 2),
      ms: round(t.ms / t.calls, 2),
    };
  }
  const complete = final.status === 'completed';
  const correct =
    seen.duplicates === 0 &&
    seen.requests === seen.distinct &&
    seen.requests === inDb.attempts &&
    inDb.attempts === inDb.messages &&
    final.succeeded === processed &&
    inDb.succeeded === processed &&
    processed === seen.requests &&
    (!complete || processed === created.total);
  return {
    messages: options.messages,
    ratePerSecond:
      options.ratePerSecond === UNLIMITED_RATE ? null : options.ratePerSecond,
    concurrency: options.concurrency,
    latencyMs: options.latencyMs,
    seedSeconds: round(seedMs / 1000, 2),
    createSeconds: round(createMs / 1000, 2),
    runSeconds: round(runMs / 1000, 2),
    processed,
    succeeded: final.succeeded,
    complete,
    wholeRate: round((processed * 1000) / runMs, 1),
    steadyRate: seen.steadyRate,
    peakPerSecond: seen.peakPerSecond,
    standIn: seen,
    attemptsInDb: inDb.attempts,
    queriesPerMessage: round(queries / Math.max(1, processed), 1),
    engine: {
      eventLoopUtilization: round(loop.utilization, 3),
      cpuMicrosPerMessage: round(
        (cpu.user + cpu.system) / Math.max(1, processed),
        1,
      ),
    },
    msPerCall,
    memory: {
      baselineMb: round(baseline / MB, 1),
      peakGrowthMb: round((peakRss - baseline) / MB, 1),
      heapPeakMb: round(peakHeap / MB, 1),
    },
    problems: logger.problems.slice(0, 5),
    correct,
  };
}

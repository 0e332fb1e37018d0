/*
 * Scenario f: two replicas (each its own store, connection pool, engine,
 * limiter and bulk runner, as two backends have) run a bulk retry over the
 * same messages from one number at 1,000/s. The number's rate holds for the
 * deployment through PostgreSQL (SharedSendSlots), so together they send at
 * 1,000/s, not 2,000/s.
 */
import { performance } from 'node:perf_hooks';
import knexFactory, { Knex } from 'knex';
import { log, round, sleep } from '../benchSupport';
import { retryObjects } from './retryObjects';
import { attemptCounts } from './seed';
import { StandIn, StandInStats } from './standIn';

export interface ReplicasResult {
  messages: number;
  ratePerSecond: number;
  concurrency: number;
  latencyMs: number;
  runSeconds: number;
  /** Sends per second at the stand-in between 10% and 90% of them, both replicas. */
  steadyRate: number;
  peakPerSecond: number;
  /** How many each replica sent. */
  perReplica: number[];
  standIn: StandInStats;
  correct: boolean;
}

export async function runReplicas(
  knex: Knex,
  standIn: StandIn,
  options: {
    messages: number;
    ratePerSecond: number;
    concurrency: number;
    latencyMs: number;
    maxMs: number;
  },
): Promise<ReplicasResult> {
  await standIn.configure({ latencyMs: options.latencyMs, mode: 'accept' });
  const second = knexFactory({ ...knex.client.config });
  const limits = {
    ratePerSecond: options.ratePerSecond,
    concurrency: options.concurrency,
  };
  const replicas = [
    retryObjects(knex, standIn, limits),
    retryObjects(second, standIn, limits),
  ];
  const started = performance.now();
  const bulks: Array<{ id: string }> = [];
  for (const replica of replicas) {
    bulks.push(
      await replica.bulk.start({
        scope: { filter: {} },
        createdBy: 'user:default/bench',
        reason: null,
      }),
    );
  }
  const settled = Promise.all(replicas.map(replica => replica.bulk.settled()));
  let done = false;
  settled.then(() => {
    done = true;
  });
  while (!done) {
    await sleep(200);
    if (performance.now() - started > options.maxMs) {
      log(`  time is up after ${round(options.maxMs / 1000, 1)} s: cancelling`);
      await Promise.all(
        replicas.map((replica, i) =>
          replica.bulk.cancel(bulks[i].id).catch(() => undefined),
        ),
      );
      break;
    }
  }
  await settled;
  const runMs = performance.now() - started;
  const finals = await Promise.all(
    replicas.map((replica, i) => replica.store.getBulkRetry(bulks[i].id)),
  );
  const seen = await standIn.stats();
  const inDb = await attemptCounts(knex);
  await second.destroy();
  const perReplica = finals.map(final => final?.succeeded ?? 0);
  return {
    ...options,
    runSeconds: round(runMs / 1000, 2),
    steadyRate: seen.steadyRate,
    peakPerSecond: seen.peakPerSecond,
    perReplica,
    standIn: seen,
    correct:
      seen.duplicates === 0 &&
      seen.requests === seen.distinct &&
      seen.requests === inDb.attempts &&
      inDb.attempts === options.messages &&
      perReplica.reduce((sum, sent) => sum + sent, 0) === options.messages,
  };
}

/*
 * Scenario p: the dry run of a bulk retry ("Retry all matching") over the
 * messages `yarn bench:api` seeds (19 codes of every category, every retry
 * status, a tenth delivered), all of them and the retryable ones. The
 * preview is counted in the database; each figure is checked once against
 * what the run decides, deciding each message in the process as the
 * preview did before, whose time is reported beside it.
 */
import { performance } from 'node:perf_hooks';
import { Knex } from 'knex';
import { DateTime } from 'luxon';
import { BulkRetryPreview } from '@msgops/plugin-failed-messages-common';
import { MessageQueryFilter } from '../../src/database/types';
import { reasonNotToRetry } from '../../src/retry/bulkPreview';
import { seedTo } from '../api/seed';
import { log, round } from '../benchSupport';
import {
  CONCURRENCY,
  PREVIEW_ROWS,
  PREVIEW_RUNS,
  UNLIMITED_RATE,
} from './options';
import { retryObjects } from './retryObjects';
import { StandIn } from './standIn';

const SCOPES: Array<{ name: string; filter: MessageQueryFilter }> = [
  { name: 'all', filter: {} },
  { name: 'category=retryable', filter: { category: ['retryable'] } },
];

export interface PreviewScopeResult {
  scope: string;
  matched: number;
  eligible: number;
  reasons: number;
  /** Milliseconds of each timed preview, in order. */
  runsMs: number[];
  medianMs: number;
  maxMs: number;
  /** Deciding each message in the process, as the preview did before. */
  eachInProcessMs: number;
  /** Whether both said the same: matched, eligible and every reason's count. */
  agrees: boolean;
}

export interface PreviewResult {
  rows: number;
  seedSeconds: number;
  scopes: PreviewScopeResult[];
}

type Objects = ReturnType<typeof retryObjects>;

/** The former preview: every matching message read and decided here. */
async function decideEachInProcess(
  { store, engine }: Objects,
  filter: MessageQueryFilter,
): Promise<BulkRetryPreview> {
  const reasons = new Map<string, number>();
  let matched = 0;
  let eligible = 0;
  for await (const { message, newerDelivered } of store.streamRetryCandidates(
    filter,
  )) {
    matched += 1;
    const reason = await reasonNotToRetry(engine, message, newerDelivered);
    if (reason === null) {
      eligible += 1;
    } else {
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  }
  const skipped = [...reasons].map(([reason, count]) => ({ reason, count }));
  return { matched, eligible, skipped };
}

const sameFigures = (a: BulkRetryPreview, b: BulkRetryPreview) => {
  const counts = (p: BulkRetryPreview) =>
    JSON.stringify(
      [...p.skipped].sort((x, y) => x.reason.localeCompare(y.reason)),
    );
  return (
    a.matched === b.matched &&
    a.eligible === b.eligible &&
    counts(a) === counts(b)
  );
};

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}

export async function runPreview(
  knex: Knex,
  standIn: StandIn,
): Promise<PreviewResult> {
  const seedMs = await seedTo(knex, 0, PREVIEW_ROWS, new Date());
  const objects = retryObjects(knex, standIn, {
    ratePerSecond: UNLIMITED_RATE,
    concurrency: CONCURRENCY,
  });
  const scopes: PreviewScopeResult[] = [];
  for (const { name, filter } of SCOPES) {
    const preview = () => objects.bulk.preview({ filter });
    // One untimed run reads the table into the caches, as a busy server has it.
    await preview();
    const runsMs: number[] = [];
    let last: BulkRetryPreview | undefined;
    for (let run = 0; run < PREVIEW_RUNS; run++) {
      const [result, ms] = await timed(preview);
      last = result;
      runsMs.push(round(ms, 1));
    }
    const [expected, eachMs] = await timed(() =>
      decideEachInProcess(objects, filter),
    );
    const sorted = [...runsMs].sort((a, b) => a - b);
    const result: PreviewScopeResult = {
      scope: name,
      matched: last!.matched,
      eligible: last!.eligible,
      reasons: last!.skipped.length,
      runsMs,
      medianMs: sorted[Math.floor((sorted.length - 1) / 2)],
      maxMs: sorted[sorted.length - 1],
      eachInProcessMs: Math.round(eachMs),
      agrees: sameFigures(last!, expected),
    };
    log(`  f ${name}: ${JSON.stringify(result)} at ${DateTime.utc().toISO()}`);
    scopes.push(result);
  }
  return { rows: PREVIEW_ROWS, seedSeconds: round(seedMs / 1000, 1), scopes };
}

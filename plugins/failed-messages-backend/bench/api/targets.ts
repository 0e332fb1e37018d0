/*
 * The API bench's targets, judged at the largest table size. The overhead
 * bound replaced a ratio target (API ≤ 1.5 × store): where the store answers
 * in about a millisecond, the round trip over loopback alone costs about half
 * a millisecond, so the ratio measured HTTP rather than the plugin
 * (docs/benchmarks.md, "The fixed cost per request"). The ratio is still
 * reported beside it.
 */
import { round } from '../benchSupport';
import { MemoryResult, Pair, SizeResult } from './measure';

/** API p50 − store p50, in ms, allowed in every scenario. */
const OVERHEAD_BOUND_MS = 2;
const STATISTICS_P95_MS = 300;
/**
 * The rows a statistics request may read, as a share of the failures: the
 * database aggregates, so they grow with days and keys, not with messages.
 */
const STATISTICS_ROWS_SHARE = 0.01;

type Entry = readonly [string, number];

const worst = (entries: Entry[]) =>
  entries.reduce((a, b) => (b[1] > a[1] ? b : a), entries[0]);

interface Target {
  target: string;
  met: boolean;
  worst: Entry;
  missedBy: string[];
}

function target(
  description: string,
  entries: Entry[],
  ok: (v: number) => boolean,
): Target {
  const missed = entries
    .filter(([, v]) => !ok(v))
    .map(([n, v]) => `${n} (${v})`);
  return {
    target: description,
    met: missed.length === 0,
    worst: worst(entries),
    missedBy: missed,
  };
}

function scenarios(r: SizeResult): (readonly [string, Pair])[] {
  return [
    ...Object.entries(r.list).map(([n, p]) => [`list ${n}`, p] as const),
    ...Object.entries(r.summary).map(([n, p]) => [`summary ${n}`, p] as const),
  ];
}

export function judge(
  sizes: number[],
  results: Record<number, SizeResult>,
  memory: MemoryResult | undefined,
  exportTimeoutMs: number,
) {
  const smallest = sizes[0];
  const largest = sizes[sizes.length - 1];
  const small = results[smallest];
  const large = results[largest];
  const listP95 = Object.entries(large.list).map(
    ([n, p]) => [`list ${n}`, p.api.p95] as const,
  );
  const summaryP95 = Object.entries(large.summary).map(
    ([n, p]) => [`summary ${n}`, p.api.p95] as const,
  );
  const overheads = scenarios(large).map(
    ([n, p]) => [n, p.overheadP50] as const,
  );
  const growth = scenarios(large).map(([n, p]) => {
    const before = n.startsWith('list ')
      ? small.list[n.slice(5)]
      : small.summary[n.slice(8)];
    return [n, round(p.api.p95 / before.api.p95, 2)] as const;
  });

  const targets = {
    listP95: target(
      `list p95 <= 50 ms at ${largest} rows`,
      listP95,
      v => v <= 50,
    ),
    summaryP95: target('summary p95 <= 150 ms', summaryP95, v => v <= 150),
    overheadP50: target(
      `API p50 - store p50 <= ${OVERHEAD_BOUND_MS} ms in every scenario at ${largest} rows`,
      overheads,
      v => v <= OVERHEAD_BOUND_MS,
    ),
    scaling: target(
      `p95 at ${largest} <= 3x p95 at ${smallest}`,
      growth,
      v => v <= 3,
    ),
    ...(large.statistics && {
      statisticsP95: target(
        `statistics p95 <= ${STATISTICS_P95_MS} ms at ${largest} failures, ${large.statistics.seeded.attempts} attempts, ${large.statistics.seeded.sends} sends`,
        Object.entries(large.statistics.scenarios).map(
          ([n, p]) => [`statistics ${n}`, p.api.p95] as const,
        ),
        v => v <= STATISTICS_P95_MS,
      ),
      statisticsRows: target(
        `statistics read <= ${
          largest * STATISTICS_ROWS_SHARE
        } rows per request (no row per message)`,
        Object.entries(large.statistics.scenarios).map(
          ([n, p]) => [`statistics ${n}`, p.rowsRead] as const,
        ),
        v => v <= largest * STATISTICS_ROWS_SHARE,
      ),
    }),
    memory: memory
      ? {
          target: `RSS growth < 100 MB serving all scenarios + CSV export${
            memory.exportComplete
              ? ''
              : ` (export INCOMPLETE: ${memory.csvLines - 1} of ${
                  memory.rows
                } rows in ${exportTimeoutMs / 1000} s)`
          }`,
          met: memory.peakGrowthMb < 100 && memory.exportComplete,
          worst: ['peak RSS growth MB', memory.peakGrowthMb] as const,
          missedBy: [
            ...(memory.peakGrowthMb < 100 ? [] : ['peak RSS growth']),
            ...(memory.exportComplete ? [] : ['export did not finish']),
          ],
        }
      : undefined,
  };
  // Reported, not judged: see the comment at the top.
  const apiToStoreRatio = {
    rows: largest,
    worstP50: worst(scenarios(large).map(([n, p]) => [n, p.ratioP50] as const)),
    worstP95: worst(scenarios(large).map(([n, p]) => [n, p.ratioP95] as const)),
  };
  return { targets, apiToStoreRatio };
}

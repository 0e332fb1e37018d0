/*
 * The API bench's output: a table row per scenario, the seeding and memory
 * figures, each target met or missed, and one line of JSON with everything.
 */
import { MB, out, pad, round } from '../benchSupport';
import { MemoryResult, Pair, SizeResult } from './measure';
import { judge } from './targets';

export function tableRow(
  size: number,
  kind: string,
  name: string,
  p: Pair,
): string {
  return [
    pad(size, 8),
    kind.padEnd(8),
    name.padEnd(26),
    pad(p.totalCount ?? '', 8),
    pad(p.api.n, 4),
    pad(p.api.p50.toFixed(1), 8),
    pad(p.api.p95.toFixed(1), 8),
    pad(p.raw.p50.toFixed(1), 8),
    pad(p.raw.p95.toFixed(1), 8),
    pad(p.overheadP50.toFixed(2), 6),
    pad(p.ratioP50.toFixed(2), 6),
    pad(p.ratioP95.toFixed(2), 6),
  ].join(' ');
}

const TABLE_HEADER = [
  pad('rows', 8),
  'endpoint'.padEnd(8),
  'filter'.padEnd(26),
  pad('matched', 8),
  pad('n', 4),
  pad('api p50', 8),
  pad('api p95', 8),
  pad('sql p50', 8),
  pad('sql p95', 8),
  pad('over', 6),
  pad('r p50', 6),
  pad('r p95', 6),
].join(' ');

export function printReport(report: {
  lines: string[];
  sizes: number[];
  results: Record<number, SizeResult>;
  memory: MemoryResult | undefined;
  judged: ReturnType<typeof judge>;
  machine: Record<string, unknown>;
  method: Record<string, unknown>;
  totalSeconds: number;
}) {
  const { lines, sizes, results, memory, judged } = report;
  const { targets, apiToStoreRatio } = judged;
  out();
  out(
    'failed-messages API benchmark (latencies in ms; sql = the store without HTTP; over = api p50 - sql p50; r = api/sql)',
  );
  out(TABLE_HEADER);
  for (const line of lines) out(line);
  out();
  for (const size of sizes) {
    out(
      `seed to ${size} rows (incl. VACUUM ANALYZE): ${results[size].seedMs} ms`,
    );
  }
  for (const size of sizes) {
    const statistics = results[size].statistics;
    if (statistics) {
      const { attempts, sends, deliveryCountRows } = statistics.seeded;
      out(
        `statistics data at ${size} rows: ${attempts} attempts, delivery counts of ${sends} sends in ${deliveryCountRows} rows, seeded in ${
          statistics.seedMs
        } ms; rows read per request: ${Object.entries(statistics.scenarios)
          .map(([name, p]) => `${name} ${p.rowsRead}`)
          .join(', ')}`,
      );
    }
  }
  if (memory) {
    out(
      `memory at ${memory.rows} rows: RSS ${memory.baselineMb} MB before, ` +
        `peak ${memory.peakMb} MB (+${memory.peakGrowthMb}), ` +
        `${memory.afterGcMb} MB after GC (+${memory.retainedGrowthMb}); ` +
        `CSV ${memory.csvLines - 1} rows${
          memory.exportComplete ? '' : ` (INCOMPLETE, of ${memory.rows})`
        }, ${round(memory.csvBytes / MB, 1)} MB in ${memory.csvMs} ms`,
    );
  }
  out();
  for (const t of Object.values(targets)) {
    if (!t) continue;
    out(
      `${t.met ? 'MET   ' : 'MISSED'} ${t.target}; worst: ${t.worst[0]} = ${
        t.worst[1]
      }${t.missedBy.length ? `; missed by: ${t.missedBy.join(', ')}` : ''}`,
    );
  }
  const { worstP50, worstP95 } = apiToStoreRatio;
  out(
    `(no target) API/SQL ratio at ${apiToStoreRatio.rows} rows; worst p50: ` +
      `${worstP50[0]} = ${worstP50[1]}; worst p95: ${worstP95[0]} = ${worstP95[1]}`,
  );
  out();
  out(
    JSON.stringify({
      benchmark: 'failed-messages-api',
      machine: report.machine,
      method: report.method,
      results,
      memory,
      targets,
      apiToStoreRatio,
      totalSeconds: report.totalSeconds,
    }),
  );
}

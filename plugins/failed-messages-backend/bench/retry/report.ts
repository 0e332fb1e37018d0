/*
 * The retry bench's output: a table row per scenario, where the time of a
 * retry went, each target met or missed, and one line of JSON with
 * everything.
 */
import { out, pad, round } from '../benchSupport';
import { BullResult } from './bullMq';
import { RunResult } from './bulkRun';
import { PreviewResult } from './preview';
import { ReplicasResult } from './replicas';
import {
  BULK_ROWS,
  BULK_SECONDS,
  CONCURRENCY,
  MAX_MS,
  MESSAGES,
  POOL,
  PREVIEW_ROWS,
  PREVIEW_RUNS,
} from './options';

export interface RetryResults {
  a?: RunResult;
  b?: RunResult;
  c?: RunResult;
  d?: RunResult & { afterGcMb: number; gcExposed: boolean };
  e?: BullResult;
  f?: ReplicasResult;
  p?: PreviewResult;
  /** Every round of a and e; `a` and `e` are the median ones. */
  rounds?: Array<{ a?: RunResult; e?: BullResult }>;
}

/**
 * The round with the median steady rate (the lower middle of an even
 * number), correct only if every round was.
 */
export function medianRound<T extends { steadyRate: number; correct: boolean }>(
  rounds: T[],
): T | undefined {
  if (!rounds.length) {
    return undefined;
  }
  const sorted = [...rounds].sort((x, y) => x.steadyRate - y.steadyRate);
  return {
    ...sorted[Math.floor((sorted.length - 1) / 2)],
    correct: rounds.every(r => r.correct),
  };
}

/** The preview answers within this at the largest size, in every scope. */
const PREVIEW_TARGET_MS = 2000;

export function printReport(
  results: RetryResults,
  machine: Record<string, unknown>,
  totalSeconds: number,
) {
  const { a, b, c, d, e, f, p, rounds } = results;
  const previewWorstMs = p && Math.max(...p.scopes.map(s => s.medianMs));
  const ratio =
    a && e && e.steadyRate > 0 ? round(a.steadyRate / e.steadyRate, 3) : null;
  const targets = {
    a: a && {
      target: `>= 2000 messages/s without rate limit (${MESSAGES} messages)`,
      met: a.complete && a.correct && a.steadyRate >= 2000,
      value: a.steadyRate,
    },
    b: b && {
      target: '80 ± 4 messages/s at ratePerSecond 80',
      met: b.complete && b.correct && Math.abs(b.steadyRate - 80) <= 4,
      value: b.steadyRate,
    },
    c: c && {
      target: '>= 950 messages/s at ratePerSecond 1000',
      met: c.complete && c.correct && c.steadyRate >= 950,
      value: c.steadyRate,
    },
    d: d && {
      target: `RSS growth < 200 MB during a bulk retry of ${BULK_ROWS}`,
      met: d.correct && d.memory.peakGrowthMb < 200,
      value: d.memory.peakGrowthMb,
    },
    e: ratio !== null && {
      target: 'a at least 1.0 x BullMQ (e) on the same work (median rounds)',
      met: ratio >= 1,
      value: ratio,
    },
    f: f && {
      target: `two replicas, one number at ${f.ratePerSecond}/s: the deployment sends at ${f.ratePerSecond} ± 50/s`,
      met: f.correct && Math.abs(f.steadyRate - f.ratePerSecond) <= 50,
      value: f.steadyRate,
    },
    p: p && {
      target: `bulk preview of ${p.rows} messages <= ${PREVIEW_TARGET_MS} ms (median, every scope), as the run decides`,
      met:
        p.scopes.every(s => s.agrees) && previewWorstMs! <= PREVIEW_TARGET_MS,
      value: previewWorstMs,
    },
  };

  out();
  out('failed-messages retry benchmark (rates in messages per second)');
  out(
    [
      'scenario'.padEnd(30),
      pad('messages', 9),
      pad('done', 9),
      pad('conc', 5),
      pad('lat ms', 6),
      pad('create s', 8),
      pad('run s', 7),
      pad('whole', 7),
      pad('steady', 7),
      pad('peak 1s', 7),
      pad('q/msg', 6),
      pad('RSS +MB', 7),
      'ok',
    ].join(' '),
  );
  const row = (label: string, r: RunResult) =>
    out(
      [
        label.padEnd(30),
        pad(r.messages, 9),
        pad(r.processed, 9),
        pad(r.concurrency, 5),
        pad(r.latencyMs, 6),
        pad(r.createSeconds.toFixed(2), 8),
        pad(r.runSeconds.toFixed(1), 7),
        pad(r.wholeRate.toFixed(0), 7),
        pad(r.steadyRate.toFixed(1), 7),
        pad(r.peakPerSecond, 7),
        pad(r.queriesPerMessage, 6),
        pad(r.memory.peakGrowthMb, 7),
        r.correct ? 'yes' : 'NO',
      ].join(' '),
    );
  if (a) row('a no limit, 0 ms', a);
  if (b) row('b 80/s, 100 ms', b);
  if (c) row('c 1000/s, 100 ms', c);
  if (d) row(`d bulk ${BULK_ROWS} (${BULK_SECONDS} s)`, d);
  if (e) {
    out(
      [
        'e BullMQ retryJobs, 0 ms'.padEnd(30),
        pad(e.messages, 9),
        pad(e.completed, 9),
        pad(e.concurrency, 5),
        pad(0, 6),
        pad('', 8),
        pad(e.retrySeconds.toFixed(1), 7),
        pad(e.wholeRate.toFixed(0), 7),
        pad(e.steadyRate.toFixed(1), 7),
        pad(e.peakPerSecond, 7),
        pad('0', 6),
        pad('', 7),
        e.correct ? 'yes' : 'NO',
      ].join(' '),
    );
  }
  out();
  const phases = a ?? d ?? c ?? b;
  if (phases) {
    out('mean wall ms per call × calls per message (a, else d, c or b):');
    for (const [name, t] of Object.entries(phases.msPerCall)) {
      out(
        `  ${name.padEnd(30)} ${pad(t.ms.toFixed(2), 8)} ms × ${
          t.callsPerMessage
        }`,
      );
    }
    out();
  }
  if (d) {
    out(
      `d: ${d.processed} of ${d.messages} sent in ${d.runSeconds} s ` +
        `(snapshot ${d.createSeconds} s); RSS ${d.memory.baselineMb} MB ` +
        `before, +${d.memory.peakGrowthMb} MB at peak, ${d.afterGcMb} MB ` +
        `after GC; heap used at most ${d.memory.heapPeakMb} MB`,
    );
  }
  for (const [key, r] of [
    ['b', b],
    ['c', c],
  ] as const) {
    if (!r) continue;
    // A limiter task is one send (claims are made ahead of it and outcomes
    // stored behind it); at most `concurrency` run at once, so this bounds
    // the rate from above.
    const sendMs = r.msPerCall['sender.send']?.ms ?? 0;
    out(
      `${key}: one send takes ${round(sendMs, 1)} ms; ` +
        `${r.concurrency} at once allow at most about ` +
        `${round((r.concurrency * 1000) / sendMs, 1)}/s`,
    );
  }
  if (f) {
    out(
      `f: two replicas sent ${f.perReplica.join(' + ')} of ${f.messages} ` +
        `at ${f.steadyRate}/s steady, peak ${f.peakPerSecond} in a second; ` +
        `${f.correct ? 'each once' : 'NOT each once'}`,
    );
  }
  for (const s of p?.scopes ?? []) {
    out(
      `p: preview of ${s.scope} (${s.matched} matched, ${s.eligible} eligible, ` +
        `${s.reasons} reasons): median ${s.medianMs} ms, max ${s.maxMs} ms ` +
        `of ${s.runsMs.length}; deciding each in the process ` +
        `${s.eachInProcessMs} ms; ${s.agrees ? 'agrees' : 'DISAGREES'}`,
    );
  }
  if (rounds && rounds.length > 1) {
    const rates = (key: 'a' | 'e') =>
      rounds.map(r => r[key]?.steadyRate ?? '-').join(', ');
    out(`rounds, steady rate: a ${rates('a')}; BullMQ ${rates('e')}`);
  }
  if (a && e) {
    out(
      `Node per message: the engine ${a.engine.cpuMicrosPerMessage} µs of CPU ` +
        `(event loop ${Math.round(
          a.engine.eventLoopUtilization * 100,
        )}% busy), ` +
        `BullMQ's worker ${e.worker.cpuMicrosPerMessage} µs ` +
        `(${Math.round(e.worker.eventLoopUtilization * 100)}%)`,
    );
  }
  if (ratio !== null) {
    out(
      `e: ours ${a!.steadyRate}/s vs BullMQ ${e!.steadyRate}/s (medians of ${
        rounds?.length ?? 1
      } rounds): ratio ${ratio}`,
    );
  }
  for (const t of Object.values(targets)) {
    if (!t) continue;
    out(`${t.met ? 'MET   ' : 'MISSED'} ${t.target}: ${t.value}`);
  }
  out();
  out(
    JSON.stringify({
      benchmark: 'failed-messages-retry',
      machine,
      method: {
        pool: POOL,
        concurrency: CONCURRENCY,
        messages: MESSAGES,
        rounds: rounds?.length ?? 0,
        bulkRows: BULK_ROWS,
        bulkSeconds: BULK_SECONDS,
        maxSeconds: MAX_MS / 1000,
        previewRows: PREVIEW_ROWS,
        previewRuns: PREVIEW_RUNS,
        steadyRate: 'stand-in arrivals between 10% and 90% of requests',
      },
      results,
      bullMqRatio: ratio,
      targets,
      totalSeconds,
    }),
  );
}

/*
 * Timing an API request against the store's own query, and the RSS peak
 * while the largest table is served.
 */
import { performance } from 'node:perf_hooks';
import { gc, gcExposed, MB, round } from '../benchSupport';
import { CsvExport } from './client';
import type { StatisticsResult } from './statistics';
import { BUDGET_MS, ITERATIONS } from './options';

export const WARMUP = 5;
const MIN_SAMPLES = 20;

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

export interface Pair {
  api: Stats;
  raw: Stats;
  /** API p50 − raw p50 in ms: what HTTP, auth, validation and JSON add. */
  overheadP50: number;
  /** API p50 / raw p50 and API p95 / raw p95. */
  ratioP50: number;
  ratioP95: number;
  totalCount?: number;
}

function percentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 0.5), 2),
    p95: round(percentile(sorted, 0.95), 2),
    max: round(sorted[sorted.length - 1], 2),
  };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/**
 * Alternates API request and raw SQL so both see the same cache state; stops
 * after ITERATIONS pairs or when the scenario's time budget is spent.
 */
async function measurePair(
  api: () => Promise<unknown>,
  raw: () => Promise<unknown>,
): Promise<{ api: number[]; raw: number[] }> {
  for (let i = 0; i < WARMUP; i++) {
    await api();
    await raw();
  }
  const apiSamples: number[] = [];
  const rawSamples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < ITERATIONS; i++) {
    apiSamples.push(await timed(api));
    rawSamples.push(await timed(raw));
    if (performance.now() - started > BUDGET_MS && i + 1 >= MIN_SAMPLES) {
      break;
    }
  }
  return { api: apiSamples, raw: rawSamples };
}

/** Measures one scenario: the API request beside the store's query. */
export async function measureScenario(
  api: () => Promise<unknown>,
  raw: () => Promise<unknown>,
): Promise<Pair> {
  const samples = await measurePair(api, raw);
  const apiStats = stats(samples.api);
  const rawStats = stats(samples.raw);
  return {
    api: apiStats,
    raw: rawStats,
    overheadP50: round(apiStats.p50 - rawStats.p50, 2),
    ratioP50: round(apiStats.p50 / rawStats.p50, 2),
    ratioP95: round(apiStats.p95 / rawStats.p95, 2),
  };
}

export class RssSampler {
  peak = 0;
  private timer?: NodeJS.Timeout;
  start() {
    this.peak = process.memoryUsage().rss;
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage().rss);
    }, 20);
  }
  stop() {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }
}

/** The figures of one table size. */
export interface SizeResult {
  seedMs: number;
  list: Record<string, Pair>;
  summary: Record<string, Pair>;
  /** At the largest size only. */
  statistics?: StatisticsResult;
}

/** RSS while the largest table is served and exported, in MB. */
export interface MemoryResult {
  rows: number;
  baselineMb: number;
  peakMb: number;
  afterGcMb: number;
  peakGrowthMb: number;
  retainedGrowthMb: number;
  csvBytes: number;
  csvLines: number;
  csvMs: number;
  exportComplete: boolean;
  exportCheckpoints: { rows: number; seconds: number }[];
  gcExposed: boolean;
}

/** The RSS figures, read after a full GC once the CSV export has ended. */
export function memoryAfterExport(
  rows: number,
  baseline: number,
  peak: number,
  csv: CsvExport,
): MemoryResult {
  gc();
  const afterGc = process.memoryUsage().rss;
  return {
    rows,
    baselineMb: round(baseline / MB, 1),
    peakMb: round(peak / MB, 1),
    afterGcMb: round(afterGc / MB, 1),
    peakGrowthMb: round((peak - baseline) / MB, 1),
    retainedGrowthMb: round((afterGc - baseline) / MB, 1),
    ...csv,
    csvMs: Math.round(csv.csvMs),
    gcExposed: gcExposed(),
  };
}

/*
 * `yarn bench:api`: latency of the failed-messages read API against PostgreSQL.
 *
 * Seeds 10,000 and then 1,000,000 failed messages into a dedicated database
 * (`failed_messages_bench`, dropped and re-created on every run), serves the
 * plugin from a real Backstage test backend that uses that database, and
 * reports p50/p95 of
 *   - GET /messages with each single filter (sorted by failedAt, page of 50),
 *   - GET /summary,
 * each beside the same SQL run directly on the same knex/pg client, and the
 * RSS growth of the process while it serves them plus the CSV export of every
 * row. It prints a table and, last, one line of JSON with every figure.
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
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Knex } from 'knex';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ErrorCodeCatalogue } from '@internal/plugin-failed-messages-common';
import { failedMessagesPlugin } from '../src/plugin';
import { KnexFailedMessageStore } from '../src/database/KnexFailedMessageStore';
import {
  FAILED_MESSAGE_COLUMNS,
  freshBenchDatabase,
  gc,
  log,
  MB,
  option,
} from './benchSupport';
import {
  parseFilterQuery,
  parseListQuery,
} from '../src/service/queryParameters';
import { rebuildCounts } from '../src/database/messageCounts';

const BENCH_DB = 'failed_messages_bench';
const BASE = '/api/failed-messages';
const PAGE = 50;
const WARMUP = 5;
const MIN_SAMPLES = 20;

// ---------------------------------------------------------------- options

const SIZES = option('rows', '10000,1000000')
  .split(',')
  .map(s => Number(s.trim()))
  .filter(n => Number.isInteger(n) && n > 0)
  .sort((a, b) => a - b);
const ITERATIONS = Number(option('iterations', '100'));
const BUDGET_MS = Number(option('budget', '30')) * 1000;
const EXPORT_TIMEOUT_MS = Number(option('export-timeout', '180')) * 1000;

// ---------------------------------------------------------------- seed data

/**
 * 19 codes of the catalogue with a share of the traffic in per mille; the
 * category, title and message come from the catalogue itself.
 */
const CODE_WEIGHTS: [string, number][] = [
  // retryable
  ['130429', 200],
  ['131000', 60],
  ['131016', 40],
  ['131056', 50],
  ['133016', 10],
  ['131057', 20],
  ['2', 20],
  ['4', 30],
  // business-logic
  ['131049', 150],
  ['131047', 100],
  ['132015', 20],
  ['131048', 30],
  // non-retryable
  ['131026', 130],
  ['131050', 30],
  ['131051', 20],
  ['132000', 30],
  ['132001', 20],
  ['131008', 20],
  ['100', 20],
];

const CAMPAIGNS = [
  'order-updates',
  'shipping-notifications',
  'appointment-reminders',
  'spring-promo',
  'account-alerts',
];

const SEED_DAYS = 120;

function codesValues(): { sql: string; bindings: Knex.RawBinding[] } {
  const catalogue = new ErrorCodeCatalogue();
  let lo = 0;
  const rows: string[] = [];
  const bindings: Knex.RawBinding[] = [];
  for (const [code, weight] of CODE_WEIGHTS) {
    const info = catalogue.lookup(code);
    rows.push('(?, ?, ?, ?::int, ?::int)');
    bindings.push(code, info.title, info.category, lo, lo + weight);
    lo += weight;
  }
  if (lo !== 1000) {
    throw new Error(`code weights add up to ${lo}, not 1000`);
  }
  return { sql: rows.join(', '), bindings };
}

/** Inserts rows numbered first..last with a deterministic pseudo-random spread. */
async function seedRange(
  knex: Knex,
  first: number,
  last: number,
  anchor: Date,
): Promise<void> {
  const codes = codesValues();
  // h(salt) is a stable pseudo-random non-negative integer per row.
  const h = (salt: string) => `(hashtext('${salt}' || g)::bigint & 2147483647)`;
  await knex.raw(
    `
    WITH codes(code, title, category, lo, hi) AS (VALUES ${codes.sql}),
    r AS (
      SELECT g,
        ${h('code')} % 1000 AS rc,
        ${h('status')} % 100 AS rs,
        ${h('time')} % ${SEED_DAYS * 86400} AS rt,
        ${h('camp')} % 100 AS rcamp,
        ${h('rcpt')} % 200000 AS rrcpt,
        ?::timestamptz AS anchor,
        ?::text[] AS campaigns
      FROM generate_series(?::int, ?::int) AS g
    ),
    m AS (
      SELECT r.*, codes.code, codes.title, codes.category,
        r.anchor - make_interval(secs => r.rt) AS failed_at,
        '+' || (16505550000 + r.rrcpt)::text AS recipient,
        CASE WHEN r.rcamp < 10 THEN NULL
             ELSE r.campaigns[1 + r.rcamp % 5] END AS campaign,
        CASE
          WHEN codes.category = 'retryable' THEN CASE
            WHEN r.rs < 35 THEN 'never-retried'
            WHEN r.rs < 55 THEN 'retrying'
            WHEN r.rs < 70 THEN 'retry-failed'
            WHEN r.rs < 80 THEN 'max-attempts-reached'
            WHEN r.rs < 97 THEN 'retry-succeeded'
            ELSE 'outcome-unknown' END
          WHEN codes.category = 'business-logic' THEN CASE
            WHEN r.rs < 70 THEN 'never-retried'
            WHEN r.rs < 85 THEN 'retry-failed'
            WHEN r.rs < 95 THEN 'retry-succeeded'
            ELSE 'max-attempts-reached' END
          ELSE CASE WHEN r.rs < 95 THEN 'never-retried' ELSE 'retry-failed' END
        END AS retry_status
      FROM r JOIN codes ON r.rc >= codes.lo AND r.rc < codes.hi
    )
    INSERT INTO failed_messages (${FAILED_MESSAGE_COLUMNS})
    SELECT
      md5('id' || g)::uuid::text,
      'whatsapp',
      'wamid.' || md5('ext' || g),
      recipient,
      campaign,
      CASE WHEN campaign IS NULL THEN NULL
           ELSE replace(campaign, '-', '_') || '_v2' END,
      json_build_object(
        'messaging_product', 'whatsapp', 'to', recipient, 'type', 'template',
        'template', json_build_object(
          'name', coalesce(replace(campaign, '-', '_'), 'generic_notice') || '_v2',
          'language', json_build_object('code', 'en_US')))::text,
      code,
      title,
      '(#' || code || ') ' || title,
      CASE WHEN code = '131047' THEN
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.'
      END,
      category,
      retry_status,
      CASE WHEN category <> 'retryable' OR retry_status = 'never-retried' THEN 0
           WHEN retry_status = 'max-attempts-reached' THEN 5
           ELSE 1 + rs % 3 END,
      CASE WHEN category = 'retryable' OR retry_status = 'never-retried' THEN 0
           ELSE 1 END,
      CASE WHEN retry_status = 'retrying'
           THEN failed_at + make_interval(mins => (15 * (1 + rs % 4))::int) END,
      failed_at,
      CASE WHEN retry_status <> 'never-retried'
           THEN failed_at + interval '10 minutes' END,
      CASE WHEN retry_status = 'retry-succeeded'
           THEN failed_at + interval '20 minutes' END,
      failed_at + interval '1 second',
      failed_at + interval '1 second'
    FROM m
    `,
    [...codes.bindings, anchor, `{${CAMPAIGNS.join(',')}}`, first, last],
  );
}

async function seedTo(
  knex: Knex,
  from: number,
  to: number,
  anchor: Date,
): Promise<number> {
  const started = performance.now();
  const chunk = 250_000;
  for (let first = from + 1; first <= to; first += chunk) {
    const last = Math.min(to, first + chunk - 1);
    await seedRange(knex, first, last, anchor);
    log(`  seeded rows ${first}..${last}`);
  }
  // Rows loaded behind the store's back: recount the daily and monthly totals.
  await rebuildCounts(knex);
  await knex.raw('VACUUM (ANALYZE) failed_messages');
  await knex.raw('VACUUM (ANALYZE) failed_message_counts');
  await knex.raw('VACUUM (ANALYZE) failed_message_month_counts');
  await knex.raw('VACUUM (ANALYZE) failed_message_search');
  return performance.now() - started;
}

// ---------------------------------------------------------------- scenarios

interface Filter {
  name: string;
  /** Query string of the API request. */
  query: Record<string, string>;
}

const SEARCH_TEXT = '5551234';

const FILTERS: Filter[] = [
  { name: 'none', query: {} },
  { name: 'age=7d', query: { age: '7d' } },
  { name: 'category=retryable', query: { category: 'retryable' } },
  { name: 'errorCode=131049', query: { errorCode: '131049' } },
  {
    name: 'retryStatus=never-retried',
    query: { retryStatus: 'never-retried' },
  },
  { name: 'campaign=spring-promo', query: { campaign: 'spring-promo' } },
  { name: `q=${SEARCH_TEXT}`, query: { q: SEARCH_TEXT } },
];

const SUMMARY_FILTERS = FILTERS.filter(f =>
  ['none', 'age=7d'].includes(f.name),
);

// ---------------------------------------------------------------- measuring

interface Stats {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

interface Pair {
  api: Stats;
  raw: Stats;
  /** API p50 / raw p50 and API p95 / raw p95. */
  ratioP50: number;
  ratioP95: number;
  totalCount?: number;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

function percentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    max: round(sorted[sorted.length - 1]),
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

function pair(samples: { api: number[]; raw: number[] }): Pair {
  const api = stats(samples.api);
  const raw = stats(samples.raw);
  return {
    api,
    raw,
    ratioP50: round(api.p50 / raw.p50),
    ratioP95: round(api.p95 / raw.p95),
  };
}

// ---------------------------------------------------------------- output

const pad = (s: string | number, n: number) => String(s).padStart(n);

function tableRow(size: number, kind: string, name: string, p: Pair): string {
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
  pad('r p50', 6),
  pad('r p95', 6),
].join(' ');

// ---------------------------------------------------------------- memory

class RssSampler {
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

// ---------------------------------------------------------------- main

async function main() {
  const runStarted = performance.now();
  if (!SIZES.length || !(ITERATIONS > 0)) {
    throw new Error('Invalid --rows or --iterations');
  }

  // One client for the plugin and for the raw SQL, so both use the same pool.
  const knex = await freshBenchDatabase(BENCH_DB, 10);
  const pgVersion = (await knex.raw('SHOW server_version')).rows[0]
    .server_version as string;

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
  const store = new KnexFailedMessageStore(knex);

  /** A plain count on failed_messages: checks the store's per-day totals. */
  async function countDirectly(query: Record<string, string>) {
    const filter = parseFilterQuery(query);
    if (filter.q) {
      return (await store.listMessages(parseListQuery(query))).totalCount;
    }
    const count = knex('failed_messages');
    if (filter.from) count.where('failed_at', '>=', filter.from);
    if (filter.category) count.whereIn('category', filter.category);
    if (filter.errorCode) count.whereIn('error_code', filter.errorCode);
    if (filter.retryStatus) count.whereIn('retry_status', filter.retryStatus);
    if (filter.campaign) count.where('campaign', filter.campaign);
    const [row] = await count.count({ count: '*' });
    return Number(row.count);
  }

  const origin = `http://127.0.0.1:${backend.server.port()}${BASE}`;
  const authorization = mockCredentials.user.header('user:default/bench');

  // Like an HTTP benchmark tool (wrk, autocannon): one kept-alive connection
  // and a bare HTTP/1.1 client. fetch, which the bench used first, spent
  // 0.3-0.9 ms of this process's CPU per request in its own streams, and that
  // CPU is the backend's, as both run in one process.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  function getJson(path: string, query: Record<string, string>): Promise<any> {
    const qs = new URLSearchParams(query).toString();
    return new Promise((resolve, reject) => {
      http
        .get(
          `${origin}${path}${qs ? `?${qs}` : ''}`,
          { agent, headers: { authorization } },
          res => {
            const chunks: Buffer[] = [];
            res.on('data', chunk => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => {
              const body = Buffer.concat(chunks).toString('utf8');
              if (res.statusCode === 200) {
                resolve(JSON.parse(body));
              } else {
                reject(
                  new Error(`${path}?${qs}: HTTP ${res.statusCode} ${body}`),
                );
              }
            });
          },
        )
        .on('error', reject);
    });
  }

  const results: Record<
    string,
    {
      seedMs: number;
      list: Record<string, Pair>;
      summary: Record<string, Pair>;
    }
  > = {};
  const lines: string[] = [];
  let memory:
    | {
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
    | undefined;

  for (const size of SIZES) {
    log(`seeding to ${size} rows`);
    const seedMs = await seedTo(knex, seeded, size, anchor);
    seeded = size;
    const isLargest = size === SIZES[SIZES.length - 1];

    gc();
    const sampler = new RssSampler();
    const baseline = process.memoryUsage().rss;
    if (isLargest) sampler.start();

    const list: Record<string, Pair> = {};
    for (const filter of FILTERS) {
      log(`  ${size} list ${filter.name}`);
      const query = { ...filter.query, sort: 'failedAt', limit: String(PAGE) };
      // The store's own queries on the same pool: no HTTP, auth or JSON.
      const raw = () => store.listMessages(parseListQuery(query));
      // Both must see the same rows: the API reads the seeded table.
      const [apiPage, rawPage] = await Promise.all([
        getJson('/messages', query),
        raw(),
      ]);
      if (
        rawPage.totalCount !== apiPage.totalCount ||
        (rawPage.items[0]?.id ?? null) !== (apiPage.items[0]?.id ?? null) ||
        rawPage.totalCount !== (await countDirectly(filter.query))
      ) {
        throw new Error(
          `API, store and a direct count disagree for list ${filter.name}`,
        );
      }
      const p = pair(await measurePair(() => getJson('/messages', query), raw));
      p.totalCount = apiPage.totalCount;
      list[filter.name] = p;
      lines.push(tableRow(size, 'list', filter.name, p));
      log(lines[lines.length - 1]);
    }

    const summary: Record<string, Pair> = {};
    for (const filter of SUMMARY_FILTERS) {
      log(`  ${size} summary ${filter.name}`);
      const raw = () => store.summarize(parseFilterQuery(filter.query));
      const apiSummary = await getJson('/summary', filter.query);
      const p = pair(
        await measurePair(() => getJson('/summary', filter.query), raw),
      );
      p.totalCount = apiSummary.total;
      summary[filter.name] = p;
      lines.push(tableRow(size, 'summary', filter.name, p));
      log(lines[lines.length - 1]);
    }

    if (isLargest) {
      log(`  ${size} CSV export of all rows`);
      const csvStarted = performance.now();
      const abort = new AbortController();
      const res = await fetch(`${origin}/export/messages.csv`, {
        headers: { authorization },
        signal: abort.signal,
      });
      if (res.status !== 200 || !res.body) {
        throw new Error(`export: HTTP ${res.status}`);
      }
      let csvBytes = 0;
      let csvLines = 0;
      let exportComplete = true;
      // Seconds at which each further 10% of the rows had arrived.
      const exportCheckpoints: { rows: number; seconds: number }[] = [];
      const step = Math.max(1, Math.round(size / 10));
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          csvBytes += chunk.byteLength;
          for (let i = 0; i < chunk.length; i++) {
            if (chunk[i] === 10) {
              csvLines++;
              if ((csvLines - 1) % step === 0 && csvLines > 1) {
                const seconds = round(
                  (performance.now() - csvStarted) / 1000,
                  1,
                );
                exportCheckpoints.push({ rows: csvLines - 1, seconds });
                log(`    exported ${csvLines - 1} rows after ${seconds} s`);
              }
            }
          }
          if (performance.now() - csvStarted > EXPORT_TIMEOUT_MS) {
            exportComplete = false;
            abort.abort();
            break;
          }
        }
      } catch (error) {
        if (!abort.signal.aborted) throw error;
        exportComplete = false;
      }
      const csvMs = performance.now() - csvStarted;
      sampler.stop();
      if (exportComplete && csvLines !== size + 1) {
        throw new Error(`export has ${csvLines} lines, expected ${size + 1}`);
      }
      gc();
      const afterGc = process.memoryUsage().rss;
      memory = {
        rows: size,
        baselineMb: round(baseline / MB, 1),
        peakMb: round(sampler.peak / MB, 1),
        afterGcMb: round(afterGc / MB, 1),
        peakGrowthMb: round((sampler.peak - baseline) / MB, 1),
        retainedGrowthMb: round((afterGc - baseline) / MB, 1),
        csvBytes,
        csvLines,
        csvMs: Math.round(csvMs),
        exportComplete,
        exportCheckpoints,
        gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
      };
    }

    results[size] = { seedMs: Math.round(seedMs), list, summary };
  }

  // An abandoned export may still hold a query; give it a moment to end.
  if (memory && !memory.exportComplete) {
    await new Promise(resolve => setTimeout(resolve, 3000));
  }
  agent.destroy();
  await backend.stop();
  await knex.destroy();

  // ------------------------------------------------------------ targets
  const small = results[SIZES[0]];
  const large = results[SIZES[SIZES.length - 1]];
  const all = (r: typeof large) => [
    ...Object.entries(r.list).map(([n, p]) => [`list ${n}`, p] as const),
    ...Object.entries(r.summary).map(([n, p]) => [`summary ${n}`, p] as const),
  ];
  const failing = (
    entries: (readonly [string, number])[],
    ok: (v: number) => boolean,
  ) => entries.filter(([, v]) => !ok(v)).map(([n, v]) => `${n} (${v})`);

  const listP95 = Object.entries(large.list).map(
    ([n, p]) => [`list ${n}`, p.api.p95] as const,
  );
  const summaryP95 = Object.entries(large.summary).map(
    ([n, p]) => [`summary ${n}`, p.api.p95] as const,
  );
  const ratios = all(large).map(([n, p]) => [n, p.ratioP50] as const);
  const ratiosP95 = all(large).map(([n, p]) => [n, p.ratioP95] as const);
  const growth = all(large).map(([n, p]) => {
    const before = n.startsWith('list ')
      ? small.list[n.slice(5)]
      : small.summary[n.slice(8)];
    return [n, round(p.api.p95 / before.api.p95)] as const;
  });

  const target = (
    description: string,
    entries: (readonly [string, number])[],
    ok: (v: number) => boolean,
  ) => {
    const missed = failing(entries, ok);
    return {
      target: description,
      met: missed.length === 0,
      worst: entries.reduce((a, b) => (b[1] > a[1] ? b : a), entries[0]),
      missedBy: missed,
    };
  };

  const targets = {
    listP95: target(
      `list p95 <= 50 ms at ${large === small ? SIZES[0] : SIZES.at(-1)} rows`,
      listP95,
      v => v <= 50,
    ),
    summaryP95: target('summary p95 <= 150 ms', summaryP95, v => v <= 150),
    apiToSqlRatioP50: target('API/SQL p50 ratio <= 1.5', ratios, v => v <= 1.5),
    apiToSqlRatioP95: target(
      'API/SQL p95 ratio <= 1.5',
      ratiosP95,
      v => v <= 1.5,
    ),
    scaling: target(
      `p95 at ${SIZES.at(-1)} <= 3x p95 at ${SIZES[0]}`,
      growth,
      v => v <= 3,
    ),
    memory: memory
      ? {
          target: `RSS growth < 100 MB serving all scenarios + CSV export${
            memory.exportComplete
              ? ''
              : ` (export INCOMPLETE: ${memory.csvLines - 1} of ${
                  memory.rows
                } rows in ${EXPORT_TIMEOUT_MS / 1000} s)`
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

  // ------------------------------------------------------------ print
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out();
  out('failed-messages API benchmark (latencies in ms; r = API/SQL ratio)');
  out(TABLE_HEADER);
  for (const line of lines) out(line);
  out();
  for (const size of SIZES) {
    out(
      `seed to ${size} rows (incl. VACUUM ANALYZE): ${results[size].seedMs} ms`,
    );
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
  out();
  out(
    JSON.stringify({
      benchmark: 'failed-messages-api',
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
        node: process.version,
        postgres: pgVersion,
      },
      method: {
        sizes: SIZES,
        iterationsPerScenario: ITERATIONS,
        warmup: WARMUP,
        budgetSecondsPerScenario: BUDGET_MS / 1000,
        page: PAGE,
        sort: 'failedAt desc',
      },
      results,
      memory,
      targets,
      totalSeconds: Math.round((performance.now() - runStarted) / 1000),
    }),
  );
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});

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
 * Every scenario checks that the stand-in got exactly one request per
 * message. It prints a table and, last, one line of JSON with every figure.
 *
 * Options:
 *   --scenarios=a,b,c,d,e  which scenarios to run (default all)
 *   --messages=100000      messages of scenarios a and e
 *   --concurrency=32       sends in flight in a, d and e (the worker's too)
 *   --pool=10              maximum connections of the knex pool
 *   --bulk-rows=1000000    messages of scenario d
 *   --bulk-seconds=90      how long scenario d sends before it is cancelled
 *   --max-seconds=120      a, b, c or e is cancelled after this long; the
 *                          figures then say how far it got (at the engine's
 *                          present speed, a does not finish 100,000 in it)
 * Environment:
 *   FAILED_MESSAGES_BENCH_PG     server URL without database name
 *                                (default postgresql://postgres@127.0.0.1:5432)
 *   FAILED_MESSAGES_BENCH_REDIS  Redis URL (default redis://127.0.0.1:6379)
 *
 * Run with --expose-gc so the memory baseline is taken after a full GC.
 */
import { ChildProcess, fork } from 'node:child_process';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Knex } from 'knex';
import { Queue, Worker } from 'bullmq';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ErrorCodeCatalogue } from '@internal/plugin-failed-messages-common';
import { KnexFailedMessageStore } from '../src/database/KnexFailedMessageStore';
import {
  FAILED_MESSAGE_COLUMNS,
  freshBenchDatabase,
  gc,
  log,
  MB,
  option,
} from './benchSupport';
import { FailedMessageStore } from '../src/database/FailedMessageStore';
import { rebuildCounts } from '../src/database/messageCounts';
import { RetryEngine } from '../src/retry/RetryEngine';
import { BulkRetries } from '../src/retry/BulkRetries';
import { RetryRateLimiter } from '../src/retry/RetryRateLimiter';
import { WhatsAppCloudSender } from '../src/senders/WhatsAppCloudSender';

const BENCH_DB = 'failed_messages_bench_retry';
const ERROR_CODE = '130429';
const TEMPLATE = 'bench_notice_v1';
const STAND_IN_FLAG = '--stand-in';

// ---------------------------------------------------------------- options

const SCENARIOS = new Set(
  option('scenarios', 'a,b,c,d,e')
    .split(',')
    .map(s => s.trim()),
);
const MESSAGES = Number(option('messages', '100000'));
const CONCURRENCY = Number(option('concurrency', '32'));
const POOL = Number(option('pool', '10'));
const BULK_ROWS = Number(option('bulk-rows', '1000000'));
const BULK_SECONDS = Number(option('bulk-seconds', '90'));
const MAX_MS = Number(option('max-seconds', '120')) * 1000;
const REDIS_URL = new URL(
  process.env.FAILED_MESSAGES_BENCH_REDIS ?? 'redis://127.0.0.1:6379',
);

/** The rate-limited scenarios: enough messages for about 15-20 s of sends. */
const LIMITED = {
  b: { ratePerSecond: 80, concurrency: 20, latencyMs: 100, messages: 1500 },
  c: { ratePerSecond: 1000, concurrency: 200, latencyMs: 100, messages: 15000 },
};
/** "No rate limit": far above anything the engine reaches. */
const UNLIMITED_RATE = 1_000_000;

// ---------------------------------------------------------------- output

const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

// ---------------------------------------------------------------- stand-in

interface StandInConfig {
  latencyMs: number;
  /** accept: 200 with a message id; fail: 500 with Graph error 130429. */
  mode: 'accept' | 'fail';
}

/** What the stand-in saw since it was last configured. */
interface StandInStats {
  requests: number;
  distinct: number;
  /** Requests for a message id it had already seen. */
  duplicates: number;
  /** Seconds from the first to the last request. */
  spanSeconds: number;
  /** Requests per second between the 10th and the 90th percent of them. */
  steadyRate: number;
  /** Most requests that arrived within any one second. */
  peakPerSecond: number;
}

/**
 * The child process standing in for `POST /{version}/{phone}/messages`:
 * answers after the configured latency and counts requests per
 * `biz_opaque_callback_data`, with their arrival times.
 */
function runStandIn() {
  let config: StandInConfig = { latencyMs: 0, mode: 'accept' };
  let perId = new Map<string, number>();
  let arrivals: number[] = [];
  let duplicates = 0;
  let sequence = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk as Buffer));
    req.on('end', () => {
      arrivals.push(performance.now());
      let id = '';
      try {
        id = String(
          JSON.parse(Buffer.concat(chunks).toString('utf8'))
            .biz_opaque_callback_data ?? '',
        );
      } catch {
        // counted without an id
      }
      const seen = perId.get(id) ?? 0;
      perId.set(id, seen + 1);
      if (seen > 0) {
        duplicates += 1;
      }
      const { mode, latencyMs } = config;
      const reply = () => {
        res.setHeader('Content-Type', 'application/json');
        if (mode === 'fail') {
          res.statusCode = 500;
          res.end(
            JSON.stringify({
              error: {
                message: '(#130429) Rate limit hit',
                type: 'OAuthException',
                code: 130429,
              },
            }),
          );
          return;
        }
        sequence += 1;
        res.end(
          JSON.stringify({
            messaging_product: 'whatsapp',
            contacts: [{ input: 'x', wa_id: 'x' }],
            messages: [{ id: `wamid.BENCH${sequence}` }],
          }),
        );
      };
      if (latencyMs > 0) {
        setTimeout(reply, latencyMs);
      } else {
        reply();
      }
    });
  });
  server.keepAliveTimeout = 60_000;

  const stats = (): StandInStats => {
    const n = arrivals.length;
    let peak = 0;
    for (let lo = 0, hi = 0; hi < n; hi++) {
      while (arrivals[hi] - arrivals[lo] >= 1000) lo++;
      peak = Math.max(peak, hi - lo + 1);
    }
    const i10 = Math.floor(n * 0.1);
    const i90 = Math.max(i10, Math.ceil(n * 0.9) - 1);
    const steadyMs = n > 1 ? arrivals[i90] - arrivals[i10] : 0;
    return {
      requests: n,
      distinct: perId.size,
      duplicates,
      spanSeconds: n > 1 ? round((arrivals[n - 1] - arrivals[0]) / 1000, 2) : 0,
      steadyRate: steadyMs > 0 ? round(((i90 - i10) * 1000) / steadyMs) : 0,
      peakPerSecond: peak,
    };
  };

  process.on(
    'message',
    (message: { id: number; type: string; config?: StandInConfig }) => {
      const answer = (body: unknown) => process.send!({ id: message.id, body });
      if (message.type === 'configure') {
        config = message.config!;
        perId = new Map();
        arrivals = [];
        duplicates = 0;
        answer('ok');
      } else if (message.type === 'mode') {
        // Switches answers without forgetting what was counted.
        config = message.config!;
        answer('ok');
      } else if (message.type === 'stats') {
        answer(stats());
      } else if (message.type === 'reset') {
        perId = new Map();
        arrivals = [];
        duplicates = 0;
        answer('ok');
      } else if (message.type === 'exit') {
        server.closeAllConnections();
        server.close(() => process.exit(0));
      }
    },
  );
  // Ends with the benchmark, however that ends.
  process.on('disconnect', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => {
    process.send!({ id: 0, body: (server.address() as AddressInfo).port });
  });
}

class StandIn {
  private next = 1;
  private readonly waiting = new Map<number, (body: any) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    child.on('message', (message: { id?: unknown; body?: unknown }) => {
      if (typeof message?.id === 'number' && this.waiting.has(message.id)) {
        this.waiting.get(message.id)!(message.body);
        this.waiting.delete(message.id);
      }
    });
  }

  static async start(): Promise<StandIn> {
    const child = fork(__filename, [STAND_IN_FLAG], {
      execArgv: process.execArgv.filter(a => a !== '--expose-gc'),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    // The transform of the TypeScript sources sends messages of its own.
    const port = await new Promise<number>((resolve, reject) => {
      const ready = (m: { id?: unknown; body?: unknown }) => {
        if (m?.id === 0 && typeof m.body === 'number') {
          child.off('message', ready);
          resolve(m.body);
        }
      };
      child.on('message', ready);
      child.once('exit', code => reject(new Error(`stand-in exited ${code}`)));
    });
    return new StandIn(child, `http://127.0.0.1:${port}`);
  }

  private call<T>(type: string, config?: StandInConfig): Promise<T> {
    const id = this.next++;
    return new Promise<T>(resolve => {
      this.waiting.set(id, resolve);
      this.child.send({ id, type, config });
    });
  }

  configure(config: StandInConfig) {
    return this.call<string>('configure', config);
  }

  switchTo(config: StandInConfig) {
    return this.call<string>('mode', config);
  }

  reset() {
    return this.call<string>('reset');
  }

  stats() {
    return this.call<StandInStats>('stats');
  }

  async stop() {
    const exited = new Promise(resolve => this.child.once('exit', resolve));
    this.child.send({ id: 0, type: 'exit' });
    await exited;
  }
}

// ---------------------------------------------------------------- database

const TABLES = [
  'failed_message_bulk_retry_items',
  'failed_message_bulk_retries',
  'failed_message_attempts',
  'failed_message_counts',
  'failed_messages',
];

/**
 * Empties the tables and inserts `count` eligible messages: retryable
 * (130429), never retried, failed between one and two days ago, with a
 * template payload; 200,000 recipients.
 */
async function seed(knex: Knex, count: number): Promise<number> {
  const started = performance.now();
  await knex.raw(`TRUNCATE ${TABLES.join(', ')} CASCADE`);
  const title = new ErrorCodeCatalogue().lookup(ERROR_CODE).title;
  const anchor = new Date();
  const chunk = 250_000;
  for (let first = 1; first <= count; first += chunk) {
    const last = Math.min(count, first + chunk - 1);
    await knex.raw(
      `
      WITH m AS (
        SELECT g, '+' || (16505550000 + g % 200000)::text AS recipient
        FROM generate_series(?::int, ?::int) AS g
      )
      INSERT INTO failed_messages (${FAILED_MESSAGE_COLUMNS})
      SELECT
        md5('retry' || g)::uuid::text,
        'whatsapp',
        'wamid.' || md5('retry-ext' || g),
        recipient,
        'bench-campaign',
        ?,
        json_build_object(
          'messaging_product', 'whatsapp', 'to', recipient, 'type', 'template',
          'template', json_build_object(
            'name', ?::text,
            'language', json_build_object('code', 'en_US')))::text,
        ?, ?, '(#' || ? || ') ' || ?, NULL,
        'retryable', 'never-retried', 0, 0, NULL,
        ?::timestamptz - interval '1 day' - make_interval(secs => g % 86400),
        NULL, NULL, now(), now()
      FROM m
      `,
      [
        first,
        last,
        TEMPLATE,
        TEMPLATE,
        ERROR_CODE,
        title,
        ERROR_CODE,
        title,
        anchor,
      ],
    );
    if (count > chunk) log(`  seeded ${last} of ${count}`);
  }
  // Rows loaded behind the store's back: recount the per-day totals.
  await rebuildCounts(knex);
  await knex.raw('ANALYZE failed_messages');
  await knex.raw('ANALYZE failed_message_counts');
  return performance.now() - started;
}

/** Attempts recorded in PostgreSQL, and for how many distinct messages. */
async function attemptCounts(knex: Knex) {
  const [row] = (
    await knex.raw(
      `SELECT count(*) AS attempts, count(DISTINCT message_id) AS messages,
         count(*) FILTER (WHERE outcome = 'succeeded') AS succeeded
       FROM failed_message_attempts`,
    )
  ).rows;
  return {
    attempts: Number(row.attempts),
    messages: Number(row.messages),
    succeeded: Number(row.succeeded),
  };
}

// ---------------------------------------------------------------- plugin

/** A LoggerService that keeps warnings and errors and drops the rest. */
function benchLogger(): LoggerService & { problems: string[] } {
  const problems: string[] = [];
  const logger = {
    problems,
    error(message: string) {
      problems.push(`error: ${message}`);
    },
    warn(message: string) {
      problems.push(`warn: ${message}`);
    },
    info() {},
    debug() {},
    child() {
      return logger;
    },
  };
  return logger;
}

/** Wall time and calls per method: where the time of a retry goes. */
type Timings = Map<string, { calls: number; ms: number }>;

function timed<T extends object>(target: T, prefix: string, into: Timings): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') {
        return value;
      }
      return (...args: unknown[]) => {
        const started = performance.now();
        const result = value.apply(obj, args);
        if (!(result instanceof Promise)) {
          return result;
        }
        return result.finally(() => {
          const key = `${prefix}.${prop}`;
          const entry = into.get(key) ?? { calls: 0, ms: 0 };
          entry.calls += 1;
          entry.ms += performance.now() - started;
          into.set(key, entry);
        });
      };
    },
  });
}

function plugin(
  knex: Knex,
  standIn: StandIn,
  limits: { ratePerSecond: number; concurrency: number },
) {
  const timings: Timings = new Map();
  const logger = benchLogger();
  const store = timed<FailedMessageStore>(
    new KnexFailedMessageStore(knex),
    'store',
    timings,
  );
  const sender = timed(
    new WhatsAppCloudSender({
      baseUrl: standIn.baseUrl,
      apiVersion: 'v23.0',
      phoneNumberId: '1',
      accessToken: 'bench',
      timeoutMs: 15000,
    }),
    'sender',
    timings,
  );
  const engine = new RetryEngine({
    store,
    catalogue: new ErrorCodeCatalogue(),
    sender,
    logger,
    maxAutomaticAttempts: 3,
  });
  const limiter = new RetryRateLimiter(limits);
  const bulk = new BulkRetries({ store, engine, limiter, logger });
  return { store, bulk, logger, timings };
}

// ---------------------------------------------------------------- scenarios

interface RunResult {
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
  /** Mean wall ms per call of each store method and of the send. */
  msPerCall: Record<string, { callsPerMessage: number; ms: number }>;
  /** RSS after a full GC before start(), its peak growth, heap-used peak. */
  memory: { baselineMb: number; peakGrowthMb: number; heapPeakMb: number };
  problems: string[];
  correct: boolean;
}

interface BulkRunOptions {
  messages: number;
  ratePerSecond: number;
  concurrency: number;
  latencyMs: number;
  maxMs: number;
}

let queryCount = 0;

async function runBulk(
  knex: Knex,
  standIn: StandIn,
  options: BulkRunOptions,
  seedMs: number,
): Promise<RunResult> {
  await standIn.configure({ latencyMs: options.latencyMs, mode: 'accept' });
  const { store, bulk, logger, timings } = plugin(knex, standIn, {
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
      log(`  time is up after ${round(options.maxMs / 1000)} s: cancelling`);
      cancelled = true;
      await bulk.cancel(created.id).catch(() => undefined);
    }
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      const progress = await store.getBulkRetry(created.id);
      log(
        `  ${progress?.processed} of ${created.total} after ${round(
          (lastLog - started) / 1000,
        )} s`,
      );
    }
  }
  await settled;
  const runMs = performance.now() - started;
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
    wholeRate: round((processed * 1000) / runMs),
    steadyRate: seen.steadyRate,
    peakPerSecond: seen.peakPerSecond,
    standIn: seen,
    attemptsInDb: inDb.attempts,
    queriesPerMessage: round(queries / Math.max(1, processed), 1),
    msPerCall,
    memory: {
      baselineMb: round(baseline / MB),
      peakGrowthMb: round((peakRss - baseline) / MB),
      heapPeakMb: round(peakHeap / MB),
    },
    problems: logger.problems.slice(0, 5),
    correct,
  };
}

interface BullResult {
  messages: number;
  concurrency: number;
  addSeconds: number;
  /** The first pass, in which every job fails. */
  failPassSeconds: number;
  failed: number;
  /** From retryJobs() to the last completed job. */
  retrySeconds: number;
  completed: number;
  complete: boolean;
  wholeRate: number;
  steadyRate: number;
  peakPerSecond: number;
  standIn: StandInStats;
  correct: boolean;
}

async function runBullMq(standIn: StandIn, knex: Knex): Promise<BullResult> {
  const connection = {
    host: REDIS_URL.hostname,
    port: Number(REDIS_URL.port || 6379),
  };
  const name = `failed-messages-bench-${process.pid}-${Date.now()}`;
  const queue = new Queue(name, { connection });
  // The same messages and payloads as scenario a, read from the seed.
  const rows: { id: string; recipient: string; payload: string }[] = await knex(
    'failed_messages',
  )
    .select('id', 'recipient', 'payload')
    .orderBy('id')
    .limit(MESSAGES);
  const started = performance.now();
  for (let i = 0; i < rows.length; i += 1000) {
    await queue.addBulk(
      rows.slice(i, i + 1000).map(row => ({
        name: 'resend',
        data: {
          messageId: row.id,
          recipient: row.recipient,
          payload: JSON.parse(row.payload),
        },
      })),
    );
  }
  const addMs = performance.now() - started;
  log(`  added ${rows.length} jobs in ${round(addMs / 1000, 2)} s`);

  await standIn.configure({ latencyMs: 0, mode: 'fail' });
  const url = `${standIn.baseUrl}/v23.0/1/messages`;
  const worker = new Worker(
    name,
    async job => {
      const { messageId, recipient, payload } = job.data;
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          Authorization: 'Bearer bench',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          ...payload,
          messaging_product: 'whatsapp',
          to: payload.to ?? recipient,
          biz_opaque_callback_data: messageId,
        }),
        signal: AbortSignal.timeout(15000),
      });
      const body = (await response.json().catch(() => undefined)) as
        | { messages?: { id?: string }[]; error?: { code?: number } }
        | undefined;
      const id = body?.messages?.[0]?.id;
      if (!response.ok || !id) {
        throw new Error(`(#${body?.error?.code ?? response.status}) failed`);
      }
      return id;
    },
    { connection, concurrency: CONCURRENCY },
  );
  let failed = 0;
  let completed = 0;
  worker.on('failed', () => {
    failed += 1;
  });
  worker.on('completed', () => {
    completed += 1;
  });
  const failStarted = performance.now();
  while (failed < rows.length && performance.now() - failStarted < MAX_MS) {
    await sleep(100);
  }
  const failMs = performance.now() - failStarted;
  log(`  ${failed} jobs failed in ${round(failMs / 1000, 2)} s`);

  // Meta works again: retry the failed jobs, counting only these sends.
  await standIn.switchTo({ latencyMs: 0, mode: 'accept' });
  await standIn.reset();
  const retryStarted = performance.now();
  await queue.retryJobs({ state: 'failed', count: 1000 });
  let lastLog = performance.now();
  while (completed < failed && performance.now() - retryStarted < MAX_MS) {
    await sleep(50);
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(`  ${completed} of ${failed} completed`);
    }
  }
  const retryMs = performance.now() - retryStarted;
  await worker.close();
  const seen = await standIn.stats();
  await queue.obliterate({ force: true });
  await queue.close();
  return {
    messages: rows.length,
    concurrency: CONCURRENCY,
    addSeconds: round(addMs / 1000, 2),
    failPassSeconds: round(failMs / 1000, 2),
    failed,
    retrySeconds: round(retryMs / 1000, 2),
    completed,
    complete: completed === rows.length,
    wholeRate: round((completed * 1000) / retryMs),
    steadyRate: seen.steadyRate,
    peakPerSecond: seen.peakPerSecond,
    standIn: seen,
    correct:
      seen.duplicates === 0 &&
      seen.requests === completed &&
      seen.distinct === completed,
  };
}

// ---------------------------------------------------------------- main

async function main() {
  const runStarted = performance.now();
  if (!(MESSAGES > 0) || !(CONCURRENCY > 0) || !(BULK_ROWS > 0)) {
    throw new Error('Invalid --messages, --concurrency or --bulk-rows');
  }
  const knex = await freshBenchDatabase(BENCH_DB, POOL);
  knex.on('query', () => {
    queryCount += 1;
  });
  const pgVersion = (await knex.raw('SHOW server_version')).rows[0]
    .server_version as string;
  const standIn = await StandIn.start();

  const results: {
    a?: RunResult;
    b?: RunResult;
    c?: RunResult;
    d?: RunResult & { afterGcMb: number; gcExposed: boolean };
    e?: BullResult;
  } = {};

  if (SCENARIOS.has('a') || SCENARIOS.has('e')) {
    log(`seeding ${MESSAGES} eligible messages`);
    const seedMs = await seed(knex, MESSAGES);
    if (SCENARIOS.has('e')) {
      log(`e: BullMQ, ${MESSAGES} jobs, concurrency ${CONCURRENCY}`);
      results.e = await runBullMq(standIn, knex);
      log(`  ${JSON.stringify(results.e)}`);
    }
    if (SCENARIOS.has('a')) {
      log(`a: bulk retry, no rate limit, concurrency ${CONCURRENCY}`);
      results.a = await runBulk(
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
      log(`  ${JSON.stringify(results.a)}`);
    }
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
      afterGcMb: round(afterGc / MB),
      gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    };
    log(`  ${JSON.stringify(results.d)}`);
  }

  await standIn.stop();
  await knex.destroy();

  // ------------------------------------------------------------ targets
  const { a, b, c, d, e } = results;
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
  };
  const ratio =
    a && e && e.steadyRate > 0 ? round(a.steadyRate / e.steadyRate, 3) : null;

  // ------------------------------------------------------------ print
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const pad = (s: string | number, n: number) => String(s).padStart(n);
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
      `${key}: one send takes ${round(sendMs)} ms; ` +
        `${r.concurrency} at once allow at most about ` +
        `${round((r.concurrency * 1000) / sendMs)}/s`,
    );
  }
  if (ratio !== null) {
    out(
      `e: ours ${a!.steadyRate}/s vs BullMQ ${e!.steadyRate}/s: ratio ${ratio}`,
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
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGiB: round(os.totalmem() / 1024 ** 3),
        node: process.version,
        postgres: pgVersion,
      },
      method: {
        pool: POOL,
        concurrency: CONCURRENCY,
        messages: MESSAGES,
        bulkRows: BULK_ROWS,
        bulkSeconds: BULK_SECONDS,
        maxSeconds: MAX_MS / 1000,
        steadyRate: 'stand-in arrivals between 10% and 90% of requests',
      },
      results,
      bullMqRatio: ratio,
      targets,
      totalSeconds: Math.round((performance.now() - runStarted) / 1000),
    }),
  );
}

if (process.argv.includes(STAND_IN_FLAG)) {
  runStandIn();
} else {
  main().catch(error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  });
}

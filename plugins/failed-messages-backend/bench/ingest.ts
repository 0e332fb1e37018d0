/*
 * `yarn bench:ingest`: how fast the plugin takes what the sending services
 * and Meta tell it, on PostgreSQL.
 *
 * Serves the plugin from a real Backstage test backend over a dedicated
 * database (`failed_messages_bench_ingest`, dropped and re-created on every
 * run) and measures
 *   - POST /sends in batches of 1,000 (target at least 5,000 sends/s),
 *   - the status webhook in signed deliveries of 100 statuses, sent,
 *     delivered and read of the logged sends and a failed one for 3% of
 *     them (target at least 3,000 statuses/s),
 * each from `--concurrency` clients at once; the database's growth per
 * million logged sends (the send log and the delivery counts, with the
 * payloads, and what the payloads take of it), and the RSS growth of the
 * backend (target under 100 MB), which runs in a process of its own
 * (ingest/backendProcess.ts) so the load generator's bodies do not count.
 * Prints a table and, last, one line of JSON with every figure.
 *
 * Options:
 *   --sends=200000      sends logged (a multiple of 1,000)
 *   --concurrency=4     requests in flight at once
 *   --backend-heap-mb=N the backend's --max-old-space-size (default V8's,
 *                       which grows with the machine's memory)
 * Environment:
 *   FAILED_MESSAGES_BENCH_PG  server URL without database name
 *                             (default postgresql://postgres@127.0.0.1:5432)
 *
 * Run with --expose-gc so the memory figures are taken after a full GC.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { BenchBackend } from './ingest/BenchBackend';
import {
  freshBenchDatabase,
  gcExposed,
  log,
  machineFacts,
  MB,
  option,
  out,
  pad,
  round,
  runBench,
} from './benchSupport';

const BENCH_DB = 'failed_messages_bench_ingest';
const BASE = '/api/failed-messages';
const APP_SECRET = 'bench-app-secret';
const SENDS = Number(option('sends', '200000'));
const CONCURRENCY = Number(option('concurrency', '4'));
const BACKEND_HEAP_MB = Number(option('backend-heap-mb', '0')) || undefined;
const SEND_BATCH = 1000;
const DELIVERY_SIZE = 100;
const FAILED_SHARE = 0.03;
const CAMPAIGNS = ['black-friday', 'order-updates', 'reminders', 'welcome'];
const TARGETS = { sendsPerSecond: 5000, statusesPerSecond: 3000, rssMb: 100 };

const wamid = (i: number) => `wamid.BENCH${String(i).padStart(9, '0')}`;
const recipientOf = (i: number) => `+4915${String(i % 1e8).padStart(8, '0')}`;

/** One batch of sends as a sending service logs them. */
function sendBatch(first: number, sentAt: string): string {
  const sends = [];
  for (let i = first; i < first + SEND_BATCH; i++) {
    const campaign = CAMPAIGNS[i % CAMPAIGNS.length];
    sends.push({
      externalId: wamid(i),
      recipient: recipientOf(i),
      campaign,
      templateName: `${campaign.replace('-', '_')}_v2`,
      sentAt,
      payload: {
        messaging_product: 'whatsapp',
        to: recipientOf(i),
        type: 'template',
        template: {
          name: `${campaign.replace('-', '_')}_v2`,
          language: { code: 'de' },
          components: [
            {
              type: 'body',
              parameters: [
                { type: 'text', text: `Kunde ${i}` },
                { type: 'text', text: `Bestellung ${i * 7}` },
              ],
            },
          ],
        },
      },
    });
  }
  return JSON.stringify({ sends });
}

/** Every status Meta reports of the logged sends, in delivery order. */
function* statusesOf(sends: number, at: number) {
  for (let i = 0; i < sends; i++) {
    const fails = (i * 37) % 100 < FAILED_SHARE * 100;
    const base = { id: wamid(i), recipient_id: recipientOf(i).slice(1) };
    yield { ...base, status: 'sent', timestamp: String(at) };
    if (fails) {
      yield {
        ...base,
        status: 'failed',
        timestamp: String(at + 2),
        errors: [{ code: 131026, title: 'Message undeliverable' }],
      };
    } else {
      yield { ...base, status: 'delivered', timestamp: String(at + 2) };
      yield { ...base, status: 'read', timestamp: String(at + 60) };
    }
  }
}

function delivery(statuses: object[]): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                phone_number_id: '1234567890',
                display_phone_number: '+49 30 1234',
              },
              statuses,
            },
          },
        ],
      },
    ],
  });
}

function poster(origin: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  return (path: string, body: string, headers: Record<string, string>) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        `${origin}${path}`,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', ...headers },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () =>
            res.statusCode! < 300
              ? resolve()
              : reject(
                  new Error(
                    `${path}: HTTP ${res.statusCode} ${Buffer.concat(chunks)}`,
                  ),
                ),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

/** Runs the bodies `next` gives, `CONCURRENCY` at once; seconds taken. */
async function drive(
  next: () => (() => Promise<void>) | undefined,
): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let job = next(); job; job = next()) {
        await job();
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

async function sizes(knex: Knex) {
  const { rows } = await knex.raw(
    `SELECT pg_total_relation_size('failed_message_sends') AS sends,
            pg_total_relation_size('failed_message_delivery_counts') AS counts,
            (SELECT coalesce(sum(pg_column_size(payload)), 0) FROM failed_message_sends) AS payloads`,
  );
  return {
    sends: Number(rows[0].sends),
    counts: Number(rows[0].counts),
    payloads: Number(rows[0].payloads),
  };
}

async function main() {
  if (!(SENDS >= SEND_BATCH) || SENDS % SEND_BATCH || !(CONCURRENCY > 0)) {
    throw new Error('Invalid --sends (a multiple of 1,000) or --concurrency');
  }
  const knex = await freshBenchDatabase(BENCH_DB, 10);
  const machine = await machineFacts(knex);
  log('starting backend');
  const backend = await BenchBackend.start(
    BENCH_DB,
    APP_SECRET,
    BACKEND_HEAP_MB,
  );
  const post = poster(`http://127.0.0.1:${backend.port}${BASE}`);
  const service = { authorization: mockCredentials.service.header() };

  await backend.startMeasuring();
  const before = await sizes(knex);

  log(`logging ${SENDS} sends in batches of ${SEND_BATCH}`);
  const sentAt = new Date().toISOString();
  let nextBatch = 0;
  const sendSeconds = await drive(() => {
    if (nextBatch >= SENDS) return undefined;
    const first = nextBatch;
    nextBatch += SEND_BATCH;
    return () => post('/sends', sendBatch(first, sentAt), service);
  });
  const afterSends = await sizes(knex);

  log(`delivering their statuses, ${DELIVERY_SIZE} a delivery`);
  const statuses = statusesOf(SENDS, Math.floor(Date.now() / 1000));
  let statusCount = 0;
  const statusSeconds = await drive(() => {
    const chunk = [];
    for (let s = statuses.next(); !s.done; s = statuses.next()) {
      chunk.push(s.value);
      if (chunk.length === DELIVERY_SIZE) break;
    }
    if (!chunk.length) return undefined;
    statusCount += chunk.length;
    const body = delivery(chunk);
    const signature = `sha256=${createHmac('sha256', APP_SECRET)
      .update(body)
      .digest('hex')}`;
    return () =>
      post('/webhooks/whatsapp', body, { 'x-hub-signature-256': signature });
  });
  const memory = await backend.stop();
  const afterStatuses = await sizes(knex);
  // Each counted status rewrites its send's row; autovacuum lets later
  // writes reuse that space, so the lasting growth is the compacted size.
  await knex.raw(
    'VACUUM FULL failed_message_sends, failed_message_delivery_counts',
  );
  const compacted = await sizes(knex);

  const counted = (
    await knex('failed_message_delivery_counts').sum({
      sent: 'sent',
      delivered: 'delivered',
      read: 'read',
      failed: 'failed',
    })
  )[0];
  const failures = Number(
    (await knex('failed_messages').count({ n: '*' }))[0].n,
  );
  await knex.destroy();

  const perMillion = (bytes: number) => round(((bytes / SENDS) * 1e6) / MB, 1);
  const figures = {
    sends: SENDS,
    sendsPerSecond: Math.round(SENDS / sendSeconds),
    statuses: statusCount,
    statusesPerSecond: Math.round(statusCount / statusSeconds),
    counted: Object.fromEntries(
      Object.entries(counted).map(([k, v]) => [k, Number(v)]),
    ),
    failureRecords: failures,
    mbPerMillionSends: {
      afterSends: perMillion(
        afterSends.sends + afterSends.counts - before.sends - before.counts,
      ),
      afterStatuses: perMillion(
        afterStatuses.sends +
          afterStatuses.counts -
          before.sends -
          before.counts,
      ),
      compacted: perMillion(
        compacted.sends + compacted.counts - before.sends - before.counts,
      ),
      payloads: perMillion(afterStatuses.payloads),
    },
    rssMb: {
      baseline: round(memory.baselineRss / MB, 1),
      peakGrowth: round((memory.peakRss - memory.baselineRss) / MB, 1),
      growthAfterGc: round((memory.settledRss - memory.baselineRss) / MB, 1),
      heapPeakGrowth: round((memory.peakHeap - memory.baselineHeap) / MB, 1),
      heapGrowthAfterGc: round(
        (memory.settledHeap - memory.baselineHeap) / MB,
        1,
      ),
    },
  };
  const met = {
    sends: figures.sendsPerSecond >= TARGETS.sendsPerSecond,
    statuses: figures.statusesPerSecond >= TARGETS.statusesPerSecond,
    rss: figures.rssMb.peakGrowth < TARGETS.rssMb,
  };
  out(`${pad('figure', 34)} ${pad('result', 14)} ${pad('target', 10)}`);
  out(
    `${pad('POST /sends, sends/s', 34)} ${pad(
      figures.sendsPerSecond,
      14,
    )} ${pad('>= 5000', 10)}`,
  );
  out(
    `${pad('webhook, statuses/s', 34)} ${pad(
      figures.statusesPerSecond,
      14,
    )} ${pad('>= 3000', 10)}`,
  );
  out(
    `${pad('DB MB per 1M sends (with statuses)', 34)} ${pad(
      figures.mbPerMillionSends.afterStatuses,
      14,
    )} ${pad('none', 10)}`,
  );
  out(
    `${pad('  compacted (VACUUM FULL)', 34)} ${pad(
      figures.mbPerMillionSends.compacted,
      14,
    )} ${pad('none', 10)}`,
  );
  out(
    `${pad('  of which payloads', 34)} ${pad(
      figures.mbPerMillionSends.payloads,
      14,
    )} ${pad('none', 10)}`,
  );
  out(
    `${pad('RSS peak growth, MB', 34)} ${pad(
      figures.rssMb.peakGrowth,
      14,
    )} ${pad('< 100', 10)}`,
  );
  out(
    JSON.stringify({
      bench: 'ingest',
      figures,
      targets: TARGETS,
      met,
      method: {
        sendBatch: SEND_BATCH,
        deliverySize: DELIVERY_SIZE,
        concurrency: CONCURRENCY,
        backendHeapMb: BACKEND_HEAP_MB ?? null,
        failedShare: FAILED_SHARE,
        gcExposed: gcExposed(),
      },
      machine,
    }),
  );
}

runBench(main);

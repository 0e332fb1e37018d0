/*
 * Scenario e: the same resends as BullMQ jobs on the local Redis, failed
 * once and retried with `queue.retryJobs`, for comparison.
 */
import { performance } from 'node:perf_hooks';
import { Knex } from 'knex';
import { Queue, Worker } from 'bullmq';
import { log, round, sleep } from '../benchSupport';
import { CONCURRENCY, MAX_MS, MESSAGES, REDIS_URL } from './options';
import { StandIn, StandInStats } from './standIn';

export interface BullResult {
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
  /** The worker's process over the retry pass, as RunResult's engine. */
  worker: { eventLoopUtilization: number; cpuMicrosPerMessage: number };
  correct: boolean;
}

export async function runBullMq(
  standIn: StandIn,
  knex: Knex,
): Promise<BullResult> {
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
  const loopBefore = performance.eventLoopUtilization();
  const cpuBefore = process.cpuUsage();
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
  const loop = performance.eventLoopUtilization(loopBefore);
  const cpu = process.cpuUsage(cpuBefore);
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
    wholeRate: round((completed * 1000) / retryMs, 1),
    steadyRate: seen.steadyRate,
    peakPerSecond: seen.peakPerSecond,
    standIn: seen,
    worker: {
      eventLoopUtilization: round(loop.utilization, 3),
      cpuMicrosPerMessage: round(
        (cpu.user + cpu.system) / Math.max(1, completed),
        1,
      ),
    },
    correct:
      seen.duplicates === 0 &&
      seen.requests === completed &&
      seen.distinct === completed,
  };
}

import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { AutoRetryRun } from '../../types';
import { AutoRetryRunRow, rowToAutoRetryRun } from '../../rows';
import { AUTO_RUNS } from '../../tables';

/* The records of the daily automatic runs (AutoRetryRunStore). */

export async function startAutoRetryRun(
  db: Knex,
  run: { startedAt: Date; triggeredBy: string | null },
): Promise<AutoRetryRun> {
  const id = randomUUID();
  await db(AUTO_RUNS).insert({
    id,
    started_at: run.startedAt,
    triggered_by: run.triggeredBy,
  });
  return {
    id,
    startedAt: run.startedAt.toISOString(),
    finishedAt: null,
    triggeredBy: run.triggeredBy,
    attempted: 0,
    succeeded: 0,
    failed: 0,
    skipped: [],
    pausedReason: null,
  };
}

export async function finishAutoRetryRun(
  db: Knex,
  run: Pick<
    AutoRetryRun,
    'id' | 'attempted' | 'succeeded' | 'failed' | 'skipped' | 'pausedReason'
  > & { finishedAt: Date },
): Promise<void> {
  await db(AUTO_RUNS)
    .where('id', run.id)
    .update({
      finished_at: run.finishedAt,
      attempted: run.attempted,
      succeeded: run.succeeded,
      failed: run.failed,
      skipped: JSON.stringify(run.skipped),
      paused_reason: run.pausedReason,
    });
}

export async function listAutoRetryRuns(
  db: Knex,
  limit: number,
): Promise<AutoRetryRun[]> {
  const rows = await db<AutoRetryRunRow>(AUTO_RUNS)
    .orderBy([
      { column: 'started_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit);
  return rows.map(rowToAutoRetryRun);
}

import { Knex } from 'knex';
import {
  BulkRetry,
  BulkRetryStatus,
} from '@msgops/plugin-failed-messages-common';
import { BulkRow, rowToBulkRetry } from '../../rows';
import { BULK } from '../../tables';

/*
 * A bulk retry's record: its status, and the stamps of the worker on it. The
 * worker writes its owner token into the run when it takes it, and a stamp
 * or status change that names a token holds only while that token owns it.
 */

export async function getBulkRetry(
  db: Knex,
  id: string,
): Promise<BulkRetry | undefined> {
  const row = await db<BulkRow>(BULK).where('id', id).first();
  return row ? rowToBulkRetry(row) : undefined;
}

/** See BulkRetryStore.setBulkRetryStatus. */
export async function setBulkRetryStatus(
  db: Knex,
  options: {
    id: string;
    from: BulkRetryStatus[];
    to: BulkRetryStatus;
    now: Date;
    ownerToken?: string;
  },
): Promise<boolean> {
  const finished = options.to !== 'running';
  const query = db(BULK)
    .where('id', options.id)
    .whereIn('status', options.from);
  if (options.ownerToken) {
    query.where('owner_token', options.ownerToken);
  }
  const updated = await query.update({
    status: options.to,
    finished_at: finished ? options.now : null,
  });
  return updated === 1;
}

/** See BulkRetryStore.claimBulkRetryWork. */
export async function claimBulkRetryWork(
  db: Knex,
  options: {
    id: string;
    ownerToken: string;
    now: Date;
    staleBefore: Date;
  },
): Promise<boolean> {
  const updated = await db(BULK)
    .where({ id: options.id, status: 'running' })
    .where(q =>
      q
        .whereNull('heartbeat_at')
        .orWhere('heartbeat_at', '<', options.staleBefore),
    )
    .update({ heartbeat_at: options.now, owner_token: options.ownerToken });
  return updated === 1;
}

/** See BulkRetryStore.touchBulkRetry. */
export async function touchBulkRetry(
  db: Knex,
  options: { id: string; ownerToken: string; now: Date },
): Promise<boolean> {
  const updated = await db(BULK)
    .where({
      id: options.id,
      status: 'running',
      owner_token: options.ownerToken,
    })
    .update({ heartbeat_at: options.now });
  return updated === 1;
}

export async function listRunningBulkRetries(db: Knex): Promise<BulkRetry[]> {
  const rows = await db<BulkRow>(BULK)
    .where('status', 'running')
    .orderBy('created_at', 'asc');
  return rows.map(rowToBulkRetry);
}

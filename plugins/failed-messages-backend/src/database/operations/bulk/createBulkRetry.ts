import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { BulkRetry } from '@msgops/plugin-failed-messages-common';
import { BulkRetryScope } from '../../types';
import { filteredMessages } from '../../messageQueries';
import { BulkRow, rowToBulkRetry } from '../../rows';
import { BULK, BULK_ITEMS, isPostgres, MESSAGES } from '../../tables';

/** A bulk retry over this many messages refreshes the planner's statistics. */
const LARGE_SNAPSHOT = 10_000;

/** See BulkRetryStore.createBulkRetry. */
export async function createBulkRetry(
  db: Knex,
  options: {
    scope: BulkRetryScope;
    createdBy: string;
    reason: string | null;
    now: Date;
  },
): Promise<BulkRetry> {
  const id = randomUUID();
  const bulk = await db.transaction(async tx => {
    await tx(BULK).insert({
      id,
      status: 'running',
      scope: JSON.stringify(options.scope),
      reason: options.reason,
      created_by: options.createdBy,
      created_at: options.now,
    });
    const matching =
      'ids' in options.scope
        ? tx(MESSAGES).whereIn('id', options.scope.ids)
        : filteredMessages(tx, options.scope.filter);
    // The snapshot is made by the database: no list of ids in memory.
    await tx
      .into(
        tx.raw('?? (??, ??, ??)', [
          BULK_ITEMS,
          'bulk_retry_id',
          'position',
          'message_id',
        ]),
      )
      .insert(
        matching.select(
          tx.raw('? as bulk_retry_id', [id]),
          tx.raw('row_number() over (order by failed_at desc, id desc)'),
          'id',
        ),
      );
    const [{ total }] = await tx(BULK_ITEMS)
      .where('bulk_retry_id', id)
      .count({ total: '*' });
    await tx(BULK)
      .where('id', id)
      .update({ total: Number(total) });
    const row = await tx<BulkRow>(BULK).where('id', id).first();
    return rowToBulkRetry(row!);
  });
  if (isPostgres(db) && bulk.total >= LARGE_SNAPSHOT) {
    // Without fresh statistics PostgreSQL plans each page as if the run
    // had a handful of items and reads all of them (seconds per page at
    // a million); with them it reads the page by the primary key.
    await db.raw('ANALYZE ??', [BULK_ITEMS]);
  }
  return bulk;
}

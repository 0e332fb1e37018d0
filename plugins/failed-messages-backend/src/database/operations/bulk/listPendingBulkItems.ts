import { Knex } from 'knex';
import { PendingBulkItem } from '../../types';
import { newerDeliveredColumn } from '../../messageQueries';
import { CandidateRow, LIST_COLUMNS, rowToRecord } from '../../rows';
import { BULK_ITEMS, MESSAGES } from '../../tables';

/** See BulkRetryStore.listPendingBulkItems. */
export async function listPendingBulkItems(
  db: Knex,
  bulkRetryId: string,
  afterPosition: number,
  limit: number,
): Promise<PendingBulkItem[]> {
  const rows: Array<
    CandidateRow & { position: number | string; item_message_id: string }
  > = await db
    .from(
      // The page first, then its messages: the join never sees the rest.
      db(BULK_ITEMS)
        .select('position', 'message_id')
        .where('bulk_retry_id', bulkRetryId)
        .where('position', '>', afterPosition)
        .whereNull('outcome')
        .orderBy('position', 'asc')
        .limit(limit)
        .as('i'),
    )
    .leftJoin(`${MESSAGES} as m`, 'm.id', 'i.message_id')
    .select(
      'i.position',
      'i.message_id as item_message_id',
      ...[...LIST_COLUMNS, 'payload'].map(column => `m.${column}`),
      newerDeliveredColumn(db, 'm'),
    )
    .orderBy('i.position', 'asc');
  return rows.map(row => ({
    position: Number(row.position),
    messageId: row.item_message_id,
    message: row.id === null ? undefined : rowToRecord(row),
    newerDelivered: Boolean(row.newer_delivered),
  }));
}

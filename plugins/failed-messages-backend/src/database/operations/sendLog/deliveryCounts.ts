import { Knex } from 'knex';
import { DeliveryStatus } from '../../SendLogStore';
import { DELIVERY_COUNTS, MAX_ROWS_PER_STATEMENT } from '../../tables';

/** How many rows each key's counts are spread over, as the failure counts are. */
const SHARDS = 8;

/** The bit of each status in a send's `statuses`. */
const BITS: Record<DeliveryStatus, number> = {
  sent: 1,
  delivered: 2,
  read: 4,
  failed: 8,
};

/** The count columns of a delivery count row, one per status. */
export const COLUMNS = Object.keys(BITS) as DeliveryStatus[];

/** The columns a delivery count is kept under (besides its shard). */
export const KEY_COLUMNS = ['sent_day', 'phone_number_id', 'campaign'];

/**
 * The statuses a status tells of: any status means the message was sent,
 * and read means it was delivered (Meta may deliver `read` alone).
 */
export function bitsOfStatus(status: DeliveryStatus): number {
  const implied = status === 'read' ? BITS.delivered : 0;
  return BITS.sent | implied | BITS[status];
}

export const FAILED_BIT = BITS.failed;
/** Set for a message that reached its recipient (delivered, or read). */
export const DELIVERED_BIT = BITS.delivered;

/** The day, number and campaign a send is counted under. */
export interface DeliveryCountKey {
  sentAt: Date | string | number;
  phoneNumberId: string | null;
  campaign: string | null;
}

/**
 * Adds `delta` to each status in `bits` under its key, in the caller's
 * transaction: one statement for all keys, in key order so that concurrent
 * writers cannot deadlock, each on a random shard so they rarely wait.
 */
export async function adjustDeliveryCounts(
  tx: Knex.Transaction,
  changes: Array<{ key: DeliveryCountKey; bits: number; delta: number }>,
): Promise<void> {
  const byKey = new Map<string, Record<string, string | number>>();
  for (const { key, bits, delta } of changes) {
    const keyColumns = {
      sent_day: new Date(key.sentAt).toISOString().slice(0, 10),
      phone_number_id: key.phoneNumberId ?? '',
      campaign: key.campaign ?? '',
    };
    const id = Object.values(keyColumns).join('\u0000');
    const row = byKey.get(id) ?? {
      ...keyColumns,
      sent: 0,
      delivered: 0,
      read: 0,
      failed: 0,
    };
    for (const column of COLUMNS) {
      if (bits & BITS[column]) {
        row[column] = Number(row[column]) + delta;
      }
    }
    byKey.set(id, row);
  }
  const rows = [...byKey.entries()]
    .filter(([, row]) => COLUMNS.some(column => row[column] !== 0))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, row]) => ({ ...row, shard: Math.floor(Math.random() * SHARDS) }));
  const merge = Object.fromEntries(
    COLUMNS.map(column => [
      column,
      tx.raw('?? + excluded.??', [`${DELIVERY_COUNTS}.${column}`, column]),
    ]),
  );
  for (let start = 0; start < rows.length; start += MAX_ROWS_PER_STATEMENT) {
    await tx(DELIVERY_COUNTS)
      .insert(rows.slice(start, start + MAX_ROWS_PER_STATEMENT))
      .onConflict([...KEY_COLUMNS, 'shard'])
      .merge(merge);
  }
}

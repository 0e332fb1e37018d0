import { Knex } from 'knex';
import {
  BulkRetry,
  BulkRetryStatus,
} from '@msgops/plugin-failed-messages-common';
import { BulkRow, rowToBulkRetry } from '../../rows';
import { BULK } from '../../tables';

/** See BulkRetryStore.listBulkRetries. */
export async function listBulkRetries(
  db: Knex,
  options: { statuses?: BulkRetryStatus[]; limit: number },
): Promise<BulkRetry[]> {
  const query = db<BulkRow>(BULK)
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(options.limit);
  if (options.statuses?.length) {
    query.whereIn('status', options.statuses);
  }
  return (await query).map(rowToBulkRetry);
}

import { Knex } from 'knex';
import { MAX_ROWS_PER_STATEMENT, SENDS } from '../../tables';

/** See SendLogStore.expireSendLog. */
export async function expireSendLog(
  db: Knex,
  cutoffs: { payloadsBefore: Date; rowsBefore: Date },
): Promise<number> {
  let changed = 0;
  // Chunks of their own transaction each, so webhooks never wait long.
  for (;;) {
    const ids = await db(SENDS)
      .where('sent_at', '<', cutoffs.rowsBefore)
      .limit(MAX_ROWS_PER_STATEMENT)
      .pluck('external_id');
    if (!ids.length) {
      break;
    }
    changed += await db(SENDS).whereIn('external_id', ids).delete();
  }
  for (;;) {
    const ids = await db(SENDS)
      .where('sent_at', '<', cutoffs.payloadsBefore)
      .whereNotNull('payload')
      .limit(MAX_ROWS_PER_STATEMENT)
      .pluck('external_id');
    if (!ids.length) {
      break;
    }
    changed += await db(SENDS)
      .whereIn('external_id', ids)
      .update({ payload: null });
  }
  return changed;
}

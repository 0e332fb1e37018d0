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
  // Keyset over (sent_at, external_id): a nulled payload keeps its row, so
  // starting each chunk from the oldest again would read every earlier
  // chunk's rows once more.
  let after: { sent_at: unknown; external_id: string } | undefined;
  for (;;) {
    const query = db(SENDS)
      .where('sent_at', '<', cutoffs.payloadsBefore)
      .whereNotNull('payload')
      .orderBy(['sent_at', 'external_id'])
      .limit(MAX_ROWS_PER_STATEMENT)
      .select('sent_at', 'external_id');
    if (after) {
      const last = after;
      query.andWhere(later =>
        later
          .where('sent_at', '>', last.sent_at as Knex.Value)
          .orWhere(same =>
            same
              .where('sent_at', last.sent_at as Knex.Value)
              .andWhere('external_id', '>', last.external_id),
          ),
      );
    }
    const rows: Array<{ sent_at: unknown; external_id: string }> = await query;
    if (!rows.length) {
      break;
    }
    changed += await db(SENDS)
      .whereIn(
        'external_id',
        rows.map(row => row.external_id),
      )
      .update({ payload: null });
    after = rows[rows.length - 1];
  }
  return changed;
}

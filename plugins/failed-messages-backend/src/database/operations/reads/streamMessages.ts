import { Knex } from 'knex';
import { FailedMessage } from '@msgops/plugin-failed-messages-common';
import { MessageQueryFilter } from '../../types';
import { filteredMessages, whereAfter } from '../../messageQueries';
import { LIST_COLUMNS, MessageRow, rowToMessage } from '../../rows';

/**
 * Every message matching a filter, newest first, as `convert` makes it of
 * its row, read `chunkSize` rows a query.
 */
export async function* streamMessageRows<T, R extends MessageRow>(
  db: Knex,
  filter: MessageQueryFilter,
  columns: Array<string | Knex.Raw>,
  chunkSize: number,
  convert: (row: R) => T,
): AsyncIterable<T> {
  // Keyset pagination on (failed_at, id): stable under concurrent inserts and
  // as fast on the last chunk as on the first.
  let after: { at: Date; id: string } | undefined;
  for (;;) {
    const query = filteredMessages(db, filter)
      .select(columns)
      .orderBy([
        { column: 'failed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(chunkSize);
    if (after) {
      whereAfter(query, 'failed_at', 'desc', after);
    }
    const rows = (await query) as R[];
    for (const row of rows) {
      yield convert(row);
    }
    if (rows.length < chunkSize) {
      return;
    }
    const last = rows[rows.length - 1];
    after = { at: new Date(last.failed_at), id: last.id };
  }
}

/** See FailedMessageReads.streamMessages. */
export function streamMessages(
  db: Knex,
  filter: MessageQueryFilter,
  chunkSize = 1000,
): AsyncIterable<FailedMessage> {
  return streamMessageRows(db, filter, LIST_COLUMNS, chunkSize, rowToMessage);
}

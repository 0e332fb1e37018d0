import { Knex } from 'knex';
import { BULK_OUTCOME_COUNTER, BulkItemRecord } from '../../types';
import { preparedRaw, typedRows } from '../../postgresStatements';
import { BULK, BULK_ITEMS, isPostgres } from '../../tables';

/** See BulkRetryStore.recordBulkItems. */
export async function recordBulkItems(
  db: Knex,
  bulkRetryId: string,
  items: BulkItemRecord[],
): Promise<void> {
  // Neither path binds parameters per item (PostgreSQL takes arrays, SQLite
  // one update each), so there is no chunking: the run's WriteBatcher
  // already hands over at most a batch.
  if (isPostgres(db)) {
    await recordBulkItemsStatement(db, bulkRetryId, items);
    return;
  }
  await db.transaction(async tx => {
    const added = { processed: 0, succeeded: 0, failed: 0, skipped: 0 };
    for (const item of items) {
      const updated = await tx(BULK_ITEMS)
        .where({ bulk_retry_id: bulkRetryId, position: item.position })
        .whereNull('outcome')
        .update({ outcome: item.outcome, skip_reason: item.skipReason });
      if (updated === 1) {
        added.processed += 1;
        added[BULK_OUTCOME_COUNTER[item.outcome]] += 1;
      }
    }
    await tx(BULK)
      .where('id', bulkRetryId)
      .update(
        Object.fromEntries(
          Object.entries(added).map(([column, n]) => [
            column,
            tx.raw('?? + ?', [column, n]),
          ]),
        ),
      );
  });
}

/**
 * PostgreSQL's record, in one statement: the items' outcomes and the
 * counters they add to; items already recorded are not counted again.
 */
async function recordBulkItemsStatement(
  db: Knex,
  bulkRetryId: string,
  items: BulkItemRecord[],
): Promise<void> {
  const counter = (name: string) =>
    `${name} = ${name} + (SELECT count(*) FROM recorded WHERE outcome IN (${Object.entries(
      BULK_OUTCOME_COUNTER,
    )
      .filter(([, column]) => column === name)
      .map(([outcome]) => `'${outcome}'`)
      .join(', ')}))`;
  const input = typedRows(items, [
    ['position', 'int', item => item.position],
    ['outcome', 'text', item => item.outcome],
    ['skip_reason', 'text', item => item.skipReason],
  ]);
  await preparedRaw(
    db,
    'record_bulk_items',
    `WITH recorded AS (
       UPDATE ${BULK_ITEMS} i
          SET outcome = v.outcome, skip_reason = v.skip_reason
         FROM ${input.sql}
        WHERE i.bulk_retry_id = ? AND i.position = v.position
          AND i.outcome IS NULL
       RETURNING i.outcome
     )
     UPDATE ${BULK}
        SET processed = processed + (SELECT count(*) FROM recorded),
            ${counter('succeeded')}, ${counter('failed')}, ${counter('skipped')}
      WHERE id = ?`,
    [...input.bindings, bulkRetryId, bulkRetryId],
  );
}

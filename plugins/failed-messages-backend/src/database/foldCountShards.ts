import { Knex } from 'knex';

/** A counts table whose writers spread each key over shards. */
export interface ShardedCounts {
  table: string;
  keyColumns: string[];
  countColumns: string[];
  /** Narrows the keys folded, e.g. to past days only. */
  where?: (query: Knex.QueryBuilder) => void;
}

/**
 * Folds the shards of each key into one row and drops keys whose every
 * count sums to zero, so the table stays as small as its live keys. A
 * transaction per key keeps writers of other keys from waiting. Returns how
 * many keys it folded.
 */
export async function foldCountShards(
  db: Knex,
  counts: ShardedCounts,
  limit = 1000,
): Promise<number> {
  const { table, keyColumns, countColumns } = counts;
  let folded = 0;
  for (;;) {
    const query = db(table)
      .select(keyColumns)
      .groupBy(keyColumns)
      .havingRaw(
        `count(*) > 1 or (${countColumns
          .map(() => 'sum(??) = 0')
          .join(' and ')})`,
        countColumns,
      )
      .limit(limit);
    counts.where?.(query);
    const keys: Record<string, string>[] = await query;
    for (const key of keys) {
      await db.transaction(async tx => {
        const rows: Record<string, number | string>[] = await tx(table)
          .select(['shard', ...countColumns])
          .where(key)
          .forUpdate();
        const sums = Object.fromEntries(
          countColumns.map(column => [
            column,
            rows.reduce((sum, row) => sum + Number(row[column]), 0),
          ]),
        );
        // Only the rows summed: a writer may have added a shard since.
        await tx(table)
          .where(key)
          .whereIn(
            'shard',
            rows.map(row => row.shard),
          )
          .delete();
        if (countColumns.some(column => sums[column] !== 0)) {
          await tx(table)
            .insert({ ...key, shard: 0, ...sums })
            .onConflict([...keyColumns, 'shard'])
            .merge(
              Object.fromEntries(
                countColumns.map(column => [
                  column,
                  tx.raw('?? + excluded.??', [`${table}.${column}`, column]),
                ]),
              ),
            );
        }
      });
    }
    folded += keys.length;
    if (keys.length < limit) {
      return folded;
    }
  }
}

import { Knex } from 'knex';
import { DELIVERY_COUNTS } from '../../tables';
import { COLUMNS, KEY_COLUMNS } from './deliveryCounts';

/** See SendLogStore.compactDeliveryCounts. */
export async function compactDeliveryCounts(
  db: Knex,
  beforeDay: string,
  limit = 1000,
): Promise<number> {
  let folded = 0;
  for (;;) {
    const keys: Record<string, string>[] = await db(DELIVERY_COUNTS)
      .select(KEY_COLUMNS)
      .where('sent_day', '<', beforeDay)
      .groupBy(KEY_COLUMNS)
      .havingRaw('count(*) > 1')
      .limit(limit);
    for (const key of keys) {
      await db.transaction(async tx => {
        const rows: Record<string, number | string>[] = await tx(
          DELIVERY_COUNTS,
        )
          .select(COLUMNS)
          .where(key)
          .forUpdate();
        const sums = Object.fromEntries(
          COLUMNS.map(column => [
            column,
            rows.reduce((sum, row) => sum + Number(row[column]), 0),
          ]),
        );
        await tx(DELIVERY_COUNTS).where(key).delete();
        await tx(DELIVERY_COUNTS).insert({ ...key, shard: 0, ...sums });
      });
    }
    folded += keys.length;
    if (keys.length < limit) {
      return folded;
    }
  }
}

import { Knex } from 'knex';
import { foldCountShards } from '../../foldCountShards';
import { DELIVERY_COUNTS } from '../../tables';
import { COLUMNS, KEY_COLUMNS } from './deliveryCounts';

/** See SendLogStore.compactDeliveryCounts. */
export function compactDeliveryCounts(
  db: Knex,
  beforeDay: string,
): Promise<number> {
  return foldCountShards(db, {
    table: DELIVERY_COUNTS,
    keyColumns: KEY_COLUMNS,
    countColumns: COLUMNS,
    where: query => query.where('sent_day', '<', beforeDay),
  });
}

import { Knex } from 'knex';
import { DeliveryTrendPoint, TrendBucket } from '../../SendLogStore';
import { ofCampaign } from '../../messageQueries';
import { DELIVERY_COUNTS, isPostgres } from '../../tables';

/**
 * The first day of the bucket a `YYYY-MM-DD` column's day falls in, as
 * `YYYY-MM-DD`: the day itself, or the Monday of its ISO week, as luxon's
 * `startOf('week')` gives it.
 */
function bucketStartOf(db: Knex, bucket: TrendBucket, column: string): string {
  if (bucket === 'day') {
    return column;
  }
  return isPostgres(db)
    ? `to_char((${column}::date - extract(isodow from ${column}::date)::int + 1)::timestamp, 'YYYY-MM-DD')`
    : `date(${column}, '-6 days', 'weekday 1')`;
}

/** See SendLogStore.getDeliveryTrend. */
export async function getDeliveryTrend(
  db: Knex,
  window: {
    fromDay: string;
    toDay: string;
    bucket: TrendBucket;
    campaign?: string;
  },
): Promise<DeliveryTrendPoint[]> {
  const bucketStart = bucketStartOf(db, window.bucket, 'sent_day');
  const rows = await db(DELIVERY_COUNTS)
    .select(db.raw(`${bucketStart} as bucket_start`))
    .sum({ sent: 'sent', delivered: 'delivered', failed: 'failed' })
    .where('sent_day', '>=', window.fromDay)
    .where('sent_day', '<=', window.toDay)
    .modify(ofCampaign(window.campaign))
    .groupByRaw(bucketStart)
    .orderBy('bucket_start');
  return rows.map((row: any) => ({
    bucketStart: row.bucket_start,
    sent: Number(row.sent),
    delivered: Number(row.delivered),
    failed: Number(row.failed),
  }));
}

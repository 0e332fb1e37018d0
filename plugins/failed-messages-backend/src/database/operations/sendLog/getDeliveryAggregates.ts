import { Knex } from 'knex';
import { DeliveryAggregates } from '../../SendLogStore';
import { COUNTS } from '../../messageCounts';
import { ofCampaign } from '../../messageQueries';
import { DELIVERY_COUNTS } from '../../tables';

/** See SendLogStore.getDeliveryAggregates. */
export async function getDeliveryAggregates(
  db: Knex,
  window: { fromDay: string; toDay: string; campaign?: string },
): Promise<DeliveryAggregates> {
  const [counts, recovered] = await Promise.all([
    db(DELIVERY_COUNTS)
      .select('phone_number_id', 'campaign')
      .sum({
        sent: 'sent',
        delivered: 'delivered',
        read: 'read',
        failed: 'failed',
      })
      .where('sent_day', '>=', window.fromDay)
      .where('sent_day', '<=', window.toDay)
      .modify(ofCampaign(window.campaign))
      .groupBy('phone_number_id', 'campaign'),
    db(COUNTS)
      .select('campaign')
      .sum({ recovered: 'count' })
      .where('failed_day', '>=', window.fromDay)
      .where('failed_day', '<=', window.toDay)
      .where('retry_status', 'retry-succeeded')
      .modify(ofCampaign(window.campaign))
      .groupBy('campaign'),
  ]);
  return {
    counts: counts.map((row: any) => ({
      phoneNumberId: row.phone_number_id,
      campaign: row.campaign,
      sent: Number(row.sent),
      delivered: Number(row.delivered),
      read: Number(row.read),
      failed: Number(row.failed),
    })),
    recoveredByCampaign: recovered
      .map((row: any) => ({
        campaign: row.campaign as string,
        recovered: Number(row.recovered),
      }))
      .filter((row: { recovered: number }) => row.recovered > 0),
  };
}

import { RetryStatistics } from '@msgops/plugin-failed-messages-common';
import {
  DeliveryAggregates,
  DeliveryCounts,
} from '../database/FailedMessageStore';

/** The delivery figures `GET /statistics` adds to the retry statistics. */
export type DeliveryStatistics = Pick<
  RetryStatistics,
  'delivery' | 'byCampaign' | 'byNumber'
>;

/** Finds a configured number's label (BusinessNumbers). */
export interface NumberLabels {
  find(phoneNumberId: string): { label: string } | undefined;
}

/** A fraction of the sent messages, to three places; null when none was sent. */
const shareOf = (part: number, sent: number) =>
  sent ? Math.round((part / sent) * 1000) / 1000 : null;

/** The failure and delivery rates of the sent messages; null when none was sent. */
export const deliveryRates = ({
  sent,
  delivered,
  failed,
}: Pick<DeliveryCounts, 'sent' | 'delivered' | 'failed'>) => ({
  failureRate: shareOf(failed, sent),
  deliveryRate: shareOf(delivered, sent),
});

const noCounts = (): DeliveryCounts => ({
  sent: 0,
  delivered: 0,
  read: 0,
  failed: 0,
});

function add(into: DeliveryCounts, counts: DeliveryCounts) {
  into.sent += counts.sent;
  into.delivered += counts.delivered;
  into.read += counts.read;
  into.failed += counts.failed;
}

/** Sums the counts by `keyOf`, leaving out those without a key (''). */
function sumBy(
  aggregates: DeliveryAggregates,
  keyOf: (row: DeliveryAggregates['counts'][number]) => string,
): Map<string, DeliveryCounts> {
  const sums = new Map<string, DeliveryCounts>();
  for (const row of aggregates.counts) {
    const key = keyOf(row);
    if (key) {
      const sum = sums.get(key) ?? noCounts();
      add(sum, row);
      sums.set(key, sum);
    }
  }
  return sums;
}

const mostSentFirst = (
  a: [string, DeliveryCounts],
  b: [string, DeliveryCounts],
) => b[1].sent - a[1].sent || a[0].localeCompare(b[0]);

/**
 * Overall, per campaign and per number: messages sent, delivered and
 * failed, with failure and delivery rates of the sent ones.
 */
export function deliveryStatistics(
  aggregates: DeliveryAggregates,
  numbers: NumberLabels,
): DeliveryStatistics {
  const total = noCounts();
  aggregates.counts.forEach(row => add(total, row));
  const byCampaign = sumBy(aggregates, row => row.campaign);
  const recovered = new Map(
    aggregates.recoveredByCampaign.map(row => [row.campaign, row.recovered]),
  );
  // A campaign whose failures were recovered is listed without sends logged.
  for (const campaign of recovered.keys()) {
    if (campaign && !byCampaign.has(campaign)) {
      byCampaign.set(campaign, noCounts());
    }
  }
  return {
    delivery: { ...total, ...deliveryRates(total) },
    byCampaign: [...byCampaign.entries()]
      .sort(mostSentFirst)
      .map(([campaign, { sent, delivered, failed }]) => ({
        campaign,
        sent,
        delivered,
        failed,
        recovered: recovered.get(campaign) ?? 0,
        ...deliveryRates({ sent, delivered, failed }),
      })),
    byNumber: [...sumBy(aggregates, row => row.phoneNumberId).entries()]
      .sort(mostSentFirst)
      .map(([phoneNumberId, { sent, delivered, failed }]) => ({
        phoneNumberId,
        label: numbers.find(phoneNumberId)?.label ?? null,
        sent,
        delivered,
        failed,
        ...deliveryRates({ sent, delivered, failed }),
      })),
  };
}

import { DateTime } from 'luxon';
import {
  DeliveryStatusReport,
  LoggedSend,
  NewFailedMessage,
  SendLogStore,
} from '../database/FailedMessageStore';
import { BusinessNumbers } from '../numbers/BusinessNumbers';
import { seededRandom } from './seededRandom';
import { CAMPAIGNS } from './seedDemoData';

/** Days back the demo's sends reach, so the statistics' default window is full. */
const DEMO_SEND_DAYS = 30;
/** Sends a day of each campaign, before its daily swing. */
const SENDS_PER_CAMPAIGN_DAY = 60;
/** The share of each campaign's sends Meta fails; a sale's rush fails most. */
const FAILURE_SHARES: Record<string, number> = {
  'black-friday-2026': 0.08,
  'order-updates': 0.02,
  'appointment-reminders': 0.03,
  'welcome-series': 0.05,
  'payment-reminders': 0.04,
};
/** Share of the delivered messages that are read. */
const READ_SHARE = 0.65;
/** How many sends or statuses one call stores, as a service would batch them. */
const BATCH = 1000;

/**
 * A month of logged sends with the statuses Meta reported for them, and the
 * demo failures' own sends and failed statuses (those that arrived only
 * through the webhook have no send logged), so the delivery and failure
 * rates, by campaign and by number, look like a real sender's.
 */
export function createDemoSends(
  failures: NewFailedMessage[],
  now: DateTime,
  numbers: BusinessNumbers,
): { sends: LoggedSend[]; statuses: DeliveryStatusReport[] } {
  const random = seededRandom(20261203);
  const configured = numbers.numbers;
  const numberOf = (index: number) =>
    configured.length
      ? configured[(index * 7) % 10 < 5 ? 0 : index % configured.length]
          .phoneNumberId
      : null;
  const sends: LoggedSend[] = [];
  const statuses: DeliveryStatusReport[] = [];
  const status = (
    send: {
      externalId: string;
      recipient: string;
      phoneNumberId: string | null;
    },
    value: DeliveryStatusReport['status'],
    at: DateTime,
  ) =>
    statuses.push({
      externalId: send.externalId,
      status: value,
      at: at.toJSDate(),
      recipient: send.recipient.replace('+', ''),
      phoneNumberId: send.phoneNumberId,
    });

  for (let day = DEMO_SEND_DAYS - 1; day >= 0; day--) {
    const dayStart = now.startOf('day').minus({ days: day });
    for (const [campaignIndex, { campaign, template }] of CAMPAIGNS.entries()) {
      const count = Math.round(SENDS_PER_CAMPAIGN_DAY * (0.5 + random()));
      for (let i = 0; i < count; i++) {
        const sentAt = dayStart.plus({ minutes: Math.floor(random() * 1440) });
        if (sentAt > now) {
          continue;
        }
        const recipient = `+1650556${String(i).padStart(4, '0')}`;
        const send: LoggedSend = {
          externalId: `wamid.DEMOSEND${day}-${campaignIndex}-${i}`,
          phoneNumberId: numberOf(i),
          recipient,
          campaign,
          templateName: template,
          payload: {
            messaging_product: 'whatsapp',
            to: recipient,
            type: 'text',
            text: { body: `${campaign} message ${i}` },
          },
          sentAt: sentAt.toJSDate(),
        };
        sends.push(send);
        status(send, 'sent', sentAt.plus({ seconds: 1 }));
        if (random() < (FAILURE_SHARES[campaign] ?? 0.03)) {
          status(send, 'failed', sentAt.plus({ seconds: 5 }));
        } else {
          status(send, 'delivered', sentAt.plus({ seconds: 4 }));
          if (random() < READ_SHARE) {
            status(send, 'read', sentAt.plus({ minutes: 20 }));
          }
        }
      }
    }
  }

  for (const failure of failures) {
    const failedAt = DateTime.fromJSDate(failure.failedAt);
    const send = {
      externalId: failure.externalId!,
      recipient: failure.recipient,
      phoneNumberId: failure.businessNumber?.phoneNumberId ?? null,
    };
    if (failure.payload) {
      sends.push({
        ...send,
        campaign: failure.campaign,
        templateName: failure.templateName,
        payload: failure.payload as LoggedSend['payload'],
        sentAt: failedAt.minus({ seconds: 5 }).toJSDate(),
      });
    }
    status(send, 'failed', failedAt);
  }
  return { sends, statuses };
}

/** Logs the demo's sends and counts their statuses, in batches. */
export async function seedDemoSends(
  store: SendLogStore,
  failures: NewFailedMessage[],
  now: DateTime,
  numbers: BusinessNumbers,
): Promise<number> {
  const { sends, statuses } = createDemoSends(failures, now, numbers);
  for (let start = 0; start < sends.length; start += BATCH) {
    await store.logSends(sends.slice(start, start + BATCH));
  }
  for (let start = 0; start < statuses.length; start += BATCH) {
    await store.recordDeliveryStatuses(statuses.slice(start, start + BATCH));
  }
  return sends.length;
}

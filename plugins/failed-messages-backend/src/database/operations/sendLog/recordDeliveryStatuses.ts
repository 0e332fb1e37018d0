import { Knex } from 'knex';
import {
  DeliveryStatusReport,
  RecordedDeliveryStatuses,
  SendOfFailure,
} from '../../SendLogStore';
import { MAX_ROWS_PER_STATEMENT, SENDS } from '../../tables';
import {
  adjustDeliveryCounts,
  bitsOfStatus,
  DELIVERED_BIT,
  FAILED_BIT,
} from './deliveryCounts';
import { DeliveredSend, resolveOlderThanSends } from '../states/newerDelivery';

interface SendRow {
  external_id: string;
  phone_number_id: string | null;
  recipient: string | null;
  campaign: string | null;
  template_name: string | null;
  payload: string | null;
  sent_at: Date | string | number;
  statuses: number;
}

/** See SendLogStore.recordDeliveryStatuses. */
export async function recordDeliveryStatuses(
  db: Knex,
  statuses: DeliveryStatusReport[],
): Promise<RecordedDeliveryStatuses> {
  // Per message: what its statuses in this delivery tell, the first of
  // them, which stands for its send if it was never logged, and when it
  // first reached the recipient.
  const byId = new Map<
    string,
    { first: DeliveryStatusReport; bits: number; reachedAt: Date | null }
  >();
  for (const status of statuses) {
    const reached = status.status === 'delivered' || status.status === 'read';
    const entry = byId.get(status.externalId);
    if (!entry) {
      byId.set(status.externalId, {
        first: status,
        bits: bitsOfStatus(status.status),
        reachedAt: reached ? status.at : null,
      });
    } else {
      entry.bits |= bitsOfStatus(status.status);
      if (status.at < entry.first.at) {
        entry.first = status;
      }
      if (reached && (!entry.reachedAt || status.at < entry.reachedAt)) {
        entry.reachedAt = status.at;
      }
    }
  }
  // In id order, so concurrent deliveries lock their rows in the same order.
  const ids = [...byId.keys()].sort();
  const failures = new Map<string, SendOfFailure>();
  if (!ids.length) {
    return { failures, resolved: 0 };
  }
  const resolved = await db.transaction(async tx => {
    const changes = [];
    const reached: DeliveredSend[] = [];
    for (let start = 0; start < ids.length; start += MAX_ROWS_PER_STATEMENT) {
      const chunk = ids.slice(start, start + MAX_ROWS_PER_STATEMENT);
      await tx(SENDS)
        .insert(
          chunk.map(id => {
            const { first } = byId.get(id)!;
            return {
              external_id: id,
              phone_number_id: first.phoneNumberId,
              recipient: first.recipient,
              sent_at: first.at,
              statuses: 0,
            };
          }),
        )
        .onConflict('external_id')
        .ignore();
      const rows: SendRow[] = await tx(SENDS)
        .select(
          'external_id',
          'phone_number_id',
          'recipient',
          'campaign',
          'template_name',
          'payload',
          'sent_at',
          'statuses',
        )
        .whereIn('external_id', chunk)
        .orderBy('external_id')
        .forUpdate();
      const updates: Array<{ id: string; statuses: number }> = [];
      for (const row of rows) {
        const seen = Number(row.statuses);
        const { bits, reachedAt } = byId.get(row.external_id)!;
        const added = bits & ~seen;
        if (
          reachedAt &&
          added & DELIVERED_BIT &&
          row.recipient &&
          row.template_name
        ) {
          reached.push({
            recipient: row.recipient,
            templateName: row.template_name,
            sentAt: row.sent_at,
            at: reachedAt,
          });
        }
        if (added) {
          updates.push({ id: row.external_id, statuses: seen | added });
          changes.push({
            key: {
              sentAt: row.sent_at,
              phoneNumberId: row.phone_number_id,
              campaign: row.campaign,
            },
            bits: added,
            delta: 1,
          });
        }
        if (byId.get(row.external_id)!.bits & FAILED_BIT) {
          failures.set(row.external_id, {
            externalId: row.external_id,
            phoneNumberId: row.phone_number_id,
            recipient: row.recipient,
            campaign: row.campaign,
            templateName: row.template_name,
            payload: row.payload === null ? null : JSON.parse(row.payload),
          });
        }
      }
      if (updates.length) {
        await tx(SENDS)
          .whereIn(
            'external_id',
            updates.map(update => update.id),
          )
          .update({
            statuses: tx.raw(
              `CASE external_id ${updates
                .map(() => 'WHEN ? THEN CAST(? AS integer)')
                .join(' ')} END`,
              updates.flatMap(update => [update.id, update.statuses]),
            ),
          });
      }
    }
    await adjustDeliveryCounts(tx, changes);
    return resolveOlderThanSends(tx, reached);
  });
  return { failures, resolved };
}

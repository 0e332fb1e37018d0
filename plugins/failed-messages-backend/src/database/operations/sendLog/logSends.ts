import { Knex } from 'knex';
import { LoggedSend } from '../../SendLogStore';
import { MAX_ROWS_PER_STATEMENT, SENDS } from '../../tables';
import {
  adjustDeliveryCounts,
  bitsOfStatus,
  DeliveryCountKey,
  FAILED_BIT,
} from './deliveryCounts';

/** A send log row that statuses created before its send was logged. */
interface StatusOnlyRow {
  external_id: string;
  phone_number_id: string | null;
  campaign: string | null;
  sent_at: Date | string | number;
  statuses: number;
}

const keyOf = (send: LoggedSend): DeliveryCountKey => ({
  sentAt: send.sentAt,
  phoneNumberId: send.phoneNumberId,
  campaign: send.campaign,
});

/** See SendLogStore.logSends. */
export async function logSends(
  db: Knex,
  sends: LoggedSend[],
): Promise<LoggedSend[]> {
  // A batch may repeat a send: the first copy counts.
  const byId = new Map<string, LoggedSend>();
  for (const send of sends) {
    if (!byId.has(send.externalId)) {
      byId.set(send.externalId, send);
    }
  }
  const sorted = [...byId.values()].sort((a, b) =>
    a.externalId < b.externalId ? -1 : 1,
  );
  return db.transaction(async tx => {
    const now = new Date();
    const inserted = new Set<string>();
    for (
      let start = 0;
      start < sorted.length;
      start += MAX_ROWS_PER_STATEMENT
    ) {
      const rows: { external_id: string }[] = await tx(SENDS)
        .insert(
          sorted.slice(start, start + MAX_ROWS_PER_STATEMENT).map(send => ({
            external_id: send.externalId,
            phone_number_id: send.phoneNumberId,
            recipient: send.recipient,
            campaign: send.campaign,
            template_name: send.templateName,
            payload: JSON.stringify(send.payload),
            sent_at: send.sentAt,
            logged_at: now,
            statuses: bitsOfStatus('sent'),
          })),
        )
        .onConflict('external_id')
        .ignore()
        .returning('external_id');
      rows.forEach(row => inserted.add(row.external_id));
    }
    const changes = [...inserted].map(id => ({
      key: keyOf(byId.get(id)!),
      bits: bitsOfStatus('sent'),
      delta: 1,
    }));

    // Sends whose statuses came first: they take the logged facts, and
    // what their statuses counted moves to the send's day, number and campaign.
    const failedFirst: LoggedSend[] = [];
    const known = sorted.filter(send => !inserted.has(send.externalId));
    for (let start = 0; start < known.length; start += MAX_ROWS_PER_STATEMENT) {
      const statusOnly: StatusOnlyRow[] = await tx(SENDS)
        .select(
          'external_id',
          'phone_number_id',
          'campaign',
          'sent_at',
          'statuses',
        )
        .whereIn(
          'external_id',
          known
            .slice(start, start + MAX_ROWS_PER_STATEMENT)
            .map(s => s.externalId),
        )
        .whereNull('logged_at')
        .orderBy('external_id')
        .forUpdate();
      for (const row of statusOnly) {
        const given = byId.get(row.external_id)!;
        const send = {
          ...given,
          phoneNumberId: given.phoneNumberId ?? row.phone_number_id,
        };
        await tx(SENDS)
          .where('external_id', row.external_id)
          .update({
            phone_number_id: send.phoneNumberId,
            recipient: send.recipient,
            campaign: send.campaign,
            template_name: send.templateName,
            payload: JSON.stringify(send.payload),
            sent_at: send.sentAt,
            logged_at: now,
          });
        changes.push(
          {
            key: {
              sentAt: row.sent_at,
              phoneNumberId: row.phone_number_id,
              campaign: row.campaign,
            },
            bits: row.statuses,
            delta: -1,
          },
          { key: keyOf(send), bits: row.statuses, delta: 1 },
        );
        if (row.statuses & FAILED_BIT) {
          failedFirst.push(send);
        }
      }
    }
    await adjustDeliveryCounts(tx, changes);
    return failedFirst;
  });
}

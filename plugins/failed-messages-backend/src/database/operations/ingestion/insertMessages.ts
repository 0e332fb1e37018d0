import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { Category } from '@msgops/plugin-failed-messages-common';
import { NewFailedMessage, StoredReport } from '../../types';
import { adjustCounts } from '../../messageCounts';
import { countKeyOfRow } from '../../rows';
import { MAX_ROWS_PER_STATEMENT, MESSAGES } from '../../tables';
import {
  findNewerDeliveries,
  recordNewerDeliveries,
  resolvedByNewerDelivery,
} from '../states/newerDelivery';

const externalIdKey = (channel: string, externalId: string) =>
  `external\u0000${channel}\u0000${externalId}`;
const contentHashKey = (hash: string) => `content\u0000${hash}`;

/** A write refused by a unique index, on PostgreSQL or SQLite. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** See FailedMessageIngestionStore.insertMessages. */
export async function insertMessages(
  db: Knex,
  messages: NewFailedMessage[],
): Promise<StoredReport[]> {
  try {
    return await insertOnce(db, messages);
  } catch (error) {
    // The same report arrived twice at once: the later insert met the
    // earlier one's row at a unique index. Read again, it is a known record.
    if (isUniqueViolation(error)) {
      return insertOnce(db, messages);
    }
    throw error;
  }
}

function insertOnce(
  db: Knex,
  messages: NewFailedMessage[],
): Promise<StoredReport[]> {
  return db.transaction(async tx => {
    const now = new Date();
    const existing = new Map<string, StoredReport>();
    const remember = (key: string, row: { id: string; category: string }) =>
      existing.set(key, {
        id: row.id,
        category: row.category as Category,
        created: false,
      });

    const keyed = messages.filter(m => m.externalId !== null);
    for (const channel of new Set(keyed.map(m => m.channel))) {
      const ids = keyed
        .filter(m => m.channel === channel)
        .map(m => m.externalId as string);
      const rows: { id: string; external_id: string; category: string }[] =
        await tx(MESSAGES)
          .select('id', 'external_id', 'category')
          .where('channel', channel)
          .whereIn('external_id', ids);
      for (const row of rows) {
        remember(externalIdKey(channel, row.external_id), row);
      }
    }
    const hashed = messages.flatMap(m =>
      m.externalId === null && m.contentHash ? [m.contentHash] : [],
    );
    if (hashed.length > 0) {
      const rows: { id: string; content_hash: string; category: string }[] =
        await tx(MESSAGES)
          .select('id', 'content_hash', 'category')
          .whereIn('content_hash', hashed);
      for (const row of rows) {
        remember(contentHashKey(row.content_hash), row);
      }
    }

    const results: StoredReport[] = [];
    const rows: Record<string, unknown>[] = [];
    for (const message of messages) {
      const hash = (message.externalId === null && message.contentHash) || null;
      const key =
        message.externalId !== null
          ? externalIdKey(message.channel, message.externalId)
          : hash && contentHashKey(hash);
      const known = key ? existing.get(key) : undefined;
      if (known) {
        results.push(known);
        continue;
      }
      const report: StoredReport = {
        id: randomUUID(),
        category: message.category,
        created: true,
      };
      if (key) {
        // A batch may repeat a report: later copies map to the first.
        existing.set(key, { ...report, created: false });
      }
      results.push(report);
      rows.push({
        id: report.id,
        channel: message.channel,
        external_id: message.externalId,
        content_hash: hash,
        recipient: message.recipient,
        campaign: message.campaign,
        template_name: message.templateName,
        payload:
          message.payload === null ? null : JSON.stringify(message.payload),
        error_code: message.error.code,
        error_title: message.error.title,
        error_message: message.error.message,
        error_details: message.error.details,
        category: message.category,
        retry_status: 'never-retried',
        state: 'open',
        resolution: null,
        resolution_at: null,
        newer_message_id: null,
        next_automatic_retry_at: message.nextAutomaticRetryAt,
        failed_at: message.failedAt,
        phone_number_id: message.businessNumber?.phoneNumberId ?? null,
        display_phone_number:
          message.businessNumber?.displayPhoneNumber ?? null,
        created_at: now,
        updated_at: now,
      });
    }
    // A failure reported after a newer message of its recipient and template
    // was delivered is moot from the start.
    const newer = await findNewerDeliveries(tx, rows as any[]);
    for (const row of rows) {
      const found = newer.get(row.id as string);
      if (found) {
        Object.assign(
          row,
          resolvedByNewerDelivery(found.newerMessageId, found.at),
        );
      }
    }
    await tx
      .batchInsert(MESSAGES, rows as any[], MAX_ROWS_PER_STATEMENT)
      .transacting(tx);
    await recordNewerDeliveries(
      tx,
      [...newer].map(([messageId, { at }]) => ({ messageId, at })),
    );
    await adjustCounts(
      tx,
      rows.map(row => ({ key: countKeyOfRow(row as any), delta: 1 })),
    );
    return results;
  });
}

import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { adjustCounts, moveCount } from '../../messageCounts';
import {
  COUNT_KEY_COLUMNS,
  countKeyOfRow,
  DbTime,
  MessageRow,
} from '../../rows';
import {
  isPostgres,
  MAX_ROWS_PER_STATEMENT,
  MESSAGES,
  STATE_CHANGES,
} from '../../tables';

/*
 * A failure is moot once a later message to the same recipient with the same
 * template reached them: resending it would be stale. Such a failure is
 * resolved, with the cause `newer-delivery`, when the newer message is
 * delivered (a resend of a newer failure, or a send the services logged) or,
 * if a newer failure's resend already was, when the failure is reported.
 */

/** A recipient and template as one map key. */
function keyOf(recipient: string, templateName: string): string {
  return `${recipient}\u0000${templateName}`;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const alike = groups.get(k);
    if (alike) {
      alike.push(item);
    } else {
      groups.set(k, [item]);
    }
  }
  return groups;
}

/** A message that was just delivered, as its row holds it. */
export interface DeliveredMessage {
  id: string;
  recipient: string;
  templateName: string | null;
  failedAt: DbTime;
}

/**
 * The columns a message resolved by a newer delivery gets: the newer
 * failure's id, or null for a logged send.
 */
export function resolvedByNewerDelivery(
  newerMessageId: string | null,
  at: Date,
) {
  return {
    state: 'resolved',
    resolution: 'newer-delivery',
    resolution_at: at,
    newer_message_id: newerMessageId,
    // No run sends it; a forced retry schedules again if it fails.
    next_automatic_retry_at: null,
  };
}

/** The timeline's entries of messages resolved by a newer delivery. */
export async function recordNewerDeliveries(
  tx: Knex.Transaction,
  resolved: Array<{ messageId: string; at: Date }>,
): Promise<void> {
  if (!resolved.length) {
    return;
  }
  await tx
    .batchInsert(
      STATE_CHANGES,
      resolved.map(({ messageId, at }) => ({
        id: randomUUID(),
        message_id: messageId,
        change: 'resolved',
        actor: null,
        at,
        reason: null,
      })),
      MAX_ROWS_PER_STATEMENT,
    )
    .transacting(tx);
}

/** The condition of failed_messages_open_template_idx, written out literally so that both databases match it. */
const OPEN_WITH_TEMPLATE = `state = 'open' and template_name is not null`;

/** An open message to resolve, locked, and the newer delivery that resolves it. */
interface Resolving {
  row: MessageRow;
  newerMessageId: string | null;
  at: Date;
}

/** Resolves locked open messages, each by its newer delivery. */
async function resolveRows(
  tx: Knex.Transaction,
  resolving: Resolving[],
): Promise<void> {
  if (!resolving.length) {
    return;
  }
  const byDelivery = groupBy(
    resolving,
    entry => `${entry.newerMessageId}\u0000${entry.at.getTime()}`,
  );
  for (const alike of byDelivery.values()) {
    const { newerMessageId, at } = alike[0];
    const ids = alike.map(entry => entry.row.id);
    for (let start = 0; start < ids.length; start += MAX_ROWS_PER_STATEMENT) {
      await tx(MESSAGES)
        .whereIn('id', ids.slice(start, start + MAX_ROWS_PER_STATEMENT))
        .update({
          ...resolvedByNewerDelivery(newerMessageId, at),
          updated_at: new Date(),
        });
    }
  }
  await recordNewerDeliveries(
    tx,
    resolving.map(({ row, at }) => ({ messageId: row.id, at })),
  );
  await adjustCounts(
    tx,
    resolving.flatMap(({ row }) => {
      const before = countKeyOfRow(row);
      return moveCount(before, { ...before, state: 'resolved' });
    }),
  );
}

/**
 * Resolves the open messages of the delivered message's recipient and
 * template that failed before it, at `at` (the delivery's time), in the
 * caller's transaction; returns how many. Read through
 * failed_messages_open_template_idx (migrations/20261203100000_resolutions.js).
 * A message being retried is left to its retry.
 */
export async function resolveOlderMessages(
  tx: Knex.Transaction,
  delivered: DeliveredMessage,
  at: Date,
): Promise<number> {
  if (delivered.templateName === null) {
    return 0;
  }
  const older: MessageRow[] = await tx(MESSAGES)
    .select(['id', ...COUNT_KEY_COLUMNS])
    .where('recipient', delivered.recipient)
    .where('template_name', delivered.templateName)
    .where('failed_at', '<', new Date(delivered.failedAt))
    .whereRaw(OPEN_WITH_TEMPLATE)
    .whereNull('resolved_at')
    .whereNot('retry_status', 'retrying')
    .orderBy('id')
    .forUpdate();
  await resolveRows(
    tx,
    older.map(row => ({ row, newerMessageId: delivered.id, at })),
  );
  return older.length;
}

/** A send of the send log (POST /sends) that reached its recipient. */
export interface DeliveredSend {
  recipient: string;
  templateName: string;
  sentAt: DbTime;
  /** When Meta reported it delivered (or read). */
  at: Date;
}

/**
 * The open messages, locked, of the recipients and templates of these sends
 * (grouped by keyOf), read through failed_messages_open_template_idx: on
 * PostgreSQL in one read, both lists narrowing the index (pairs nobody sent
 * to drop out later); SQLite, which would take the state's index for such a
 * read, reads each pair, up to its latest send.
 */
async function openMessagesOf(
  tx: Knex.Transaction,
  byKey: Map<string, DeliveredSend[]>,
): Promise<MessageRow[]> {
  const openWith = () =>
    tx(MESSAGES)
      .select(['id', 'recipient', 'template_name', ...COUNT_KEY_COLUMNS])
      .whereRaw(OPEN_WITH_TEMPLATE)
      .whereNull('resolved_at')
      .whereNot('retry_status', 'retrying')
      .orderBy('id')
      .forUpdate();
  const sends = [...byKey.values()].map(alike => alike[0]);
  if (isPostgres(tx)) {
    return openWith()
      .whereIn('recipient', [...new Set(sends.map(send => send.recipient))])
      .whereIn('template_name', [
        ...new Set(sends.map(send => send.templateName)),
      ]);
  }
  const rows: MessageRow[] = [];
  for (const alike of byKey.values()) {
    const latest = Math.max(
      ...alike.map(send => new Date(send.sentAt).getTime()),
    );
    rows.push(
      ...(await openWith()
        .where('recipient', alike[0].recipient)
        .where('template_name', alike[0].templateName)
        .where('failed_at', '<', new Date(latest))),
    );
  }
  return rows;
}

/**
 * Resolves the open messages that failed before a logged send of their
 * recipient and template reached them, each at the first such delivery, in
 * the caller's transaction; returns how many. One read per chunk of sends,
 * through failed_messages_open_template_idx.
 */
export async function resolveOlderThanSends(
  tx: Knex.Transaction,
  sends: DeliveredSend[],
): Promise<number> {
  let resolved = 0;
  for (let start = 0; start < sends.length; start += MAX_ROWS_PER_STATEMENT) {
    const chunk = sends.slice(start, start + MAX_ROWS_PER_STATEMENT);
    const byKey = groupBy(chunk, send =>
      keyOf(send.recipient, send.templateName),
    );
    const open = await openMessagesOf(tx, byKey);
    const resolving: Resolving[] = [];
    for (const row of open) {
      const failedAt = new Date(row.failed_at);
      let first: Date | undefined;
      for (const send of byKey.get(keyOf(row.recipient, row.template_name!)) ??
        []) {
        if (new Date(send.sentAt) > failedAt && !(first && first <= send.at)) {
          first = send.at;
        }
      }
      if (first) {
        resolving.push({ row, newerMessageId: null, at: first });
      }
    }
    await resolveRows(tx, resolving);
    resolved += resolving.length;
  }
  return resolved;
}

/** A new failure, as insertMessages is about to store it. */
interface NewRow {
  id: string;
  recipient: string;
  template_name: string | null;
  failed_at: Date;
}

/**
 * For new failures, the delivered message of the same recipient and
 * template that failed later than each, if any (the one delivered first),
 * by the new failure's id: read through the partial index of delivered
 * messages (failed_messages_delivered_idx).
 */
export async function findNewerDeliveries(
  tx: Knex.Transaction,
  rows: NewRow[],
): Promise<Map<string, { newerMessageId: string; at: Date }>> {
  const found = new Map<string, { newerMessageId: string; at: Date }>();
  const templated = rows.filter(row => row.template_name !== null);
  for (
    let start = 0;
    start < templated.length;
    start += MAX_ROWS_PER_STATEMENT
  ) {
    const chunk = templated.slice(start, start + MAX_ROWS_PER_STATEMENT);
    // Both lists narrow the index; pairs that were not asked for drop out below.
    const delivered: Array<
      Pick<MessageRow, 'id' | 'recipient' | 'template_name' | 'failed_at'> & {
        resolved_at: DbTime;
      }
    > = await tx(MESSAGES)
      .select('id', 'recipient', 'template_name', 'failed_at', 'resolved_at')
      .whereIn('recipient', [...new Set(chunk.map(row => row.recipient))])
      .whereIn('template_name', [
        ...new Set(chunk.map(row => row.template_name!)),
      ])
      .whereRaw('resolved_at is not null');
    const byKey = groupBy(delivered, newer =>
      keyOf(newer.recipient, newer.template_name!),
    );
    for (const row of chunk) {
      let first: { newerMessageId: string; at: Date } | undefined;
      for (const newer of byKey.get(keyOf(row.recipient, row.template_name!)) ??
        []) {
        const at = new Date(newer.resolved_at);
        if (
          new Date(newer.failed_at) > row.failed_at &&
          !(first && first.at <= at)
        ) {
          first = { newerMessageId: newer.id, at };
        }
      }
      if (first) {
        found.set(row.id, first);
      }
    }
  }
  return found;
}

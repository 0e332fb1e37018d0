import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { adjustCounts, moveCount } from '../../messageCounts';
import {
  COUNT_KEY_COLUMNS,
  countKeyOfRow,
  DbTime,
  MessageRow,
} from '../../rows';
import { MAX_ROWS_PER_STATEMENT, MESSAGES, STATE_CHANGES } from '../../tables';

/*
 * A failure is moot once a later message to the same recipient with the same
 * template reached them: resending it would be stale. Such a failure is
 * resolved, with the cause `newer-delivery`, when the newer message is
 * delivered or, if it already was, when the failure is reported.
 */

/** A message that was just delivered, as its row holds it. */
export interface DeliveredMessage {
  id: string;
  recipient: string;
  templateName: string | null;
  failedAt: DbTime;
}

/** The columns a message resolved by a newer delivery gets. */
export function resolvedByNewerDelivery(newerMessageId: string, at: Date) {
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

/**
 * Resolves the open messages of the delivered message's recipient and
 * template that failed before it, at `at` (the delivery's time), in the
 * caller's transaction; returns how many. Read through
 * failed_messages_open_template_idx (migrations/20261203100000_resolutions.js),
 * whose condition is written out literally so that both databases match it.
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
    .whereRaw(`state = 'open' and template_name is not null`)
    .whereNull('resolved_at')
    .whereNot('retry_status', 'retrying')
    .orderBy('id')
    .forUpdate();
  if (!older.length) {
    return 0;
  }
  const ids = older.map(row => row.id);
  for (let start = 0; start < ids.length; start += MAX_ROWS_PER_STATEMENT) {
    await tx(MESSAGES)
      .whereIn('id', ids.slice(start, start + MAX_ROWS_PER_STATEMENT))
      .update({
        ...resolvedByNewerDelivery(delivered.id, at),
        updated_at: new Date(),
      });
  }
  await recordNewerDeliveries(
    tx,
    ids.map(messageId => ({ messageId, at })),
  );
  await adjustCounts(
    tx,
    older.flatMap(row => {
      const before = countKeyOfRow(row);
      return moveCount(before, { ...before, state: 'resolved' });
    }),
  );
  return older.length;
}

const keyOf = (recipient: string, templateName: string) =>
  `${recipient}\u0000${templateName}`;

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
    const byKey = new Map<string, typeof delivered>();
    for (const newer of delivered) {
      const key = keyOf(newer.recipient, newer.template_name!);
      const alike = byKey.get(key);
      if (alike) {
        alike.push(newer);
      } else {
        byKey.set(key, [newer]);
      }
    }
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

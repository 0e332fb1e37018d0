import { Knex } from 'knex';
import { ResendAttempt } from '../../types';
import { AttemptRow, rowToAttempt } from '../../rows';
import { ATTEMPTS, MESSAGES } from '../../tables';

/* The look-ups of a webhook delivery, one query each for the whole delivery. */

/** See FailedMessageIngestionStore.findAttemptsByProviderMessageIds. */
export async function findAttemptsByProviderMessageIds(
  db: Knex,
  providerMessageIds: string[],
): Promise<Map<string, ResendAttempt>> {
  const found = new Map<string, ResendAttempt>();
  if (!providerMessageIds.length) {
    return found;
  }
  const rows = await db<AttemptRow>(ATTEMPTS).whereIn(
    'provider_message_id',
    providerMessageIds,
  );
  for (const row of rows) {
    found.set(row.provider_message_id!, {
      attempt: rowToAttempt(row),
      messageId: row.message_id,
      claimToken: row.claim_token!,
    });
  }
  return found;
}

/** See FailedMessageIngestionStore.findExistingMessageIds. */
export async function findExistingMessageIds(
  db: Knex,
  ids: string[],
): Promise<Set<string>> {
  if (!ids.length) {
    return new Set();
  }
  const rows: { id: string }[] = await db(MESSAGES)
    .select('id')
    .whereIn('id', ids);
  return new Set(rows.map(row => row.id));
}

import { Knex } from 'knex';
import { RetryAttempt } from '@msgops/plugin-failed-messages-common';
import { FailedMessageRecord } from '../../types';
import { AttemptRow, MessageRow, rowToAttempt, rowToRecord } from '../../rows';
import { ATTEMPTS, MESSAGES } from '../../tables';

/* Reads of one message, its attempts, and whether there is any message. */

export async function getMessage(
  db: Knex,
  id: string,
): Promise<FailedMessageRecord | undefined> {
  const row = await db<MessageRow>(MESSAGES).where('id', id).first();
  return row ? rowToRecord(row) : undefined;
}

/** See FailedMessageReads.listAttempts. */
export async function listAttempts(
  db: Knex,
  messageId: string,
): Promise<RetryAttempt[]> {
  const rows = await db<AttemptRow>(ATTEMPTS)
    .where('message_id', messageId)
    .orderBy('attempt_number', 'asc');
  return rows.map(rowToAttempt);
}

/** See FailedMessageReads.isEmpty. */
export async function isEmpty(db: Knex): Promise<boolean> {
  const row = await db(MESSAGES).first('id');
  return row === undefined;
}

import { Knex } from 'knex';
import { StateChange } from '@msgops/plugin-failed-messages-common';
import { rowToStateChange, StateChangeRow } from '../../rows';
import { STATE_CHANGES } from '../../tables';

/** See MessageStateStore.listStateChanges. */
export async function listStateChanges(
  db: Knex,
  messageId: string,
): Promise<StateChange[]> {
  const rows = await db<StateChangeRow>(STATE_CHANGES)
    .where('message_id', messageId)
    .orderBy([
      { column: 'at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ]);
  return rows.map(rowToStateChange);
}

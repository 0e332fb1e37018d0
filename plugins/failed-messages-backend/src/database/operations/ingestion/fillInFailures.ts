import { Knex } from 'knex';
import { DateTime } from 'luxon';
import { AutomaticRetryWait, FailureContent } from '../../SendLogStore';
import { adjustCounts, moveCount } from '../../messageCounts';
import { COUNT_KEY_COLUMNS, countKeyOfRow, MessageRow } from '../../rows';
import { MAX_ROWS_PER_STATEMENT, MESSAGES } from '../../tables';

/** See SendLogStore.fillInFailures; runs in the caller's transaction. */
export async function fillInFailures(
  tx: Knex.Transaction,
  contents: FailureContent[],
  waitOf: AutomaticRetryWait,
): Promise<number> {
  const byId = new Map(contents.map(content => [content.externalId, content]));
  const ids = [...byId.keys()].sort();
  let filled = 0;
  for (let start = 0; start < ids.length; start += MAX_ROWS_PER_STATEMENT) {
    const rows: MessageRow[] = await tx(MESSAGES)
      .select(['id', 'external_id', 'template_name', ...COUNT_KEY_COLUMNS])
      .where('channel', 'whatsapp')
      .whereIn('external_id', ids.slice(start, start + MAX_ROWS_PER_STATEMENT))
      .whereNull('payload')
      .orderBy('id')
      .forUpdate();
    for (const row of rows) {
      const content = byId.get(row.external_id!)!;
      const wait = waitOf(row.error_code);
      const after = {
        ...row,
        campaign: row.campaign ?? content.campaign,
        template_name: row.template_name ?? content.templateName,
        phone_number_id: row.phone_number_id ?? content.phoneNumberId,
      };
      await tx(MESSAGES)
        .where('id', row.id)
        .update({
          payload: JSON.stringify(content.payload),
          campaign: after.campaign,
          template_name: after.template_name,
          phone_number_id: after.phone_number_id,
          // Scheduled as a new report would be; a record already retried or
          // closed keeps its schedule.
          ...(wait !== null &&
          row.retry_status === 'never-retried' &&
          row.state === 'open'
            ? {
                next_automatic_retry_at: DateTime.fromJSDate(
                  new Date(row.failed_at as string | number | Date),
                )
                  .plus({ seconds: wait })
                  .toJSDate(),
              }
            : {}),
          updated_at: new Date(),
        });
      await adjustCounts(
        tx,
        moveCount(countKeyOfRow(row), countKeyOfRow(after)),
      );
      filled += 1;
    }
  }
  return filled;
}

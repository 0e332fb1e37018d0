import { Knex } from 'knex';
import { COUNTS } from '../../messageCounts';
import { DELIVERY_COUNTS } from '../../tables';

/** `text` as a LIKE pattern matching it literally anywhere, lower-cased. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

/**
 * See FailedMessageReads.listCampaigns. Reads the failure and delivery
 * counts tables, a row per day and key rather than per message. The same
 * statement serves SQLite and PostgreSQL: `lower(...) LIKE` with an explicit
 * escape behaves alike on both, where ILIKE exists only on PostgreSQL.
 */
export async function listCampaigns(
  db: Knex,
  query: { text?: string; limit: number },
): Promise<string[]> {
  const seen = (table: string, dayColumn: string) => {
    const rows = db(table)
      .select('campaign', { last_day: dayColumn })
      .whereNot('campaign', '');
    if (query.text) {
      rows.whereRaw(`lower(campaign) like ? escape '\\'`, [
        containsPattern(query.text),
      ]);
    }
    return rows;
  };
  const rows: Array<{ campaign: string }> = await db
    .select('campaign')
    .max({ last_day: 'last_day' })
    .from(
      seen(COUNTS, 'failed_day')
        .unionAll(seen(DELIVERY_COUNTS, 'sent_day'))
        .as('seen'),
    )
    .groupBy('campaign')
    .orderBy([
      { column: 'last_day', order: 'desc' },
      { column: 'campaign', order: 'asc' },
    ])
    .limit(query.limit);
  return rows.map(row => row.campaign);
}

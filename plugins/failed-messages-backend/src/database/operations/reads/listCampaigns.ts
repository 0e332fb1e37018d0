import { Knex } from 'knex';
import { MONTH_COUNTS } from '../../messageCounts';
import { DELIVERY_COUNTS } from '../../tables';

/** `text` as a LIKE pattern matching it literally anywhere, lower-cased. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

/**
 * See FailedMessageReads.listCampaigns. Reads the monthly failure counts and
 * the delivery counts, rows per period and key rather than per message, so
 * recency is by UTC month. The same statement serves SQLite and PostgreSQL:
 * `lower(...) LIKE` with an explicit escape behaves alike on both, where
 * ILIKE exists only on PostgreSQL.
 */
export async function listCampaigns(
  db: Knex,
  query: { text?: string; limit: number },
): Promise<string[]> {
  const seen = (table: string, month: string | Knex.Raw) => {
    const rows = db(table)
      .select('campaign', { month })
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
    .max({ last_month: 'month' })
    .from(
      seen(MONTH_COUNTS, 'failed_month')
        .unionAll(seen(DELIVERY_COUNTS, db.raw('substr(sent_day, 1, 7)')))
        .as('seen'),
    )
    .groupBy('campaign')
    .orderBy('last_month', 'desc')
    .orderByRaw('lower(campaign), campaign')
    .limit(query.limit);
  return rows.map(row => row.campaign);
}

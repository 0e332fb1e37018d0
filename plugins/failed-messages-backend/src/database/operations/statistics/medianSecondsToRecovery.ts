import { Knex } from 'knex';
import { ofCampaign } from '../../messageQueries';
import { isPostgres, MESSAGES } from '../../tables';

/**
 * The median seconds from failure to delivery of the messages (of
 * `campaign`, where given) delivered in [from, until), or null when none
 * was. The database computes it, so a window of a million recoveries costs no memory here: PostgreSQL with
 * percentile_cont; SQLite, which has no percentile function, by reading the
 * middle one or two durations in order after counting them.
 */
export async function medianSecondsToRecovery(
  db: Knex,
  from: Date,
  until: Date,
  campaign?: string,
): Promise<number | null> {
  const recovered = () =>
    db(MESSAGES)
      .where('resolved_at', '>=', from)
      .where('resolved_at', '<', until)
      .modify(ofCampaign(campaign));
  if (isPostgres(db)) {
    const row = await recovered().first(
      db.raw(
        `percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - failed_at)::float8) AS median`,
      ),
    );
    return row?.median === null || row?.median === undefined
      ? null
      : Number(row.median);
  }
  const counted = await recovered().count({ count: '*' }).first();
  const count = Number(counted?.count ?? 0);
  if (count === 0) {
    return null;
  }
  // SQLite keeps times as milliseconds since the epoch.
  const middle: Array<{ seconds: number }> = await recovered()
    .select(db.raw('(resolved_at - failed_at) / 1000.0 AS seconds'))
    .orderByRaw('resolved_at - failed_at')
    .limit(count % 2 ? 1 : 2)
    .offset(Math.floor((count - 1) / 2));
  return (
    middle.reduce((sum, row) => sum + Number(row.seconds), 0) / middle.length
  );
}

/*
 * The API bench's data for GET /statistics: retry attempts of the seeded
 * failures, and delivery counts per UTC day, business number and campaign in
 * the shape the plugin writes them (one row per key once compacted, eight
 * shards on the days whose statuses still arrive).
 */
import { Knex } from 'knex';
import { CAMPAIGNS } from './seed';

/** The days the delivery counts cover, ending on the anchor's day. */
export const STATISTICS_DAYS = 90;

/** Three business numbers and their share of the sends, in tenths. */
const NUMBERS: [string, number][] = [
  ['106540352242922', 5],
  ['106540352242923', 3],
  ['106540352242924', 2],
];

/** The failures' campaigns and 45 more. */
const CAMPAIGN_COUNT = 50;

/** The most recent days keep their shards until compaction folds them. */
const UNCOMPACTED_DAYS = 2;
const SHARDS = 8;

/**
 * Inserts `count` attempts: up to three per failure that was retried, each a
 * quarter of an hour after the one before, automatic, manual or bulk, most
 * accepted; the error code retried is the failure's.
 */
async function seedAttempts(knex: Knex, count: number): Promise<void> {
  const h = (salt: string) =>
    `(hashtext('${salt}' || m.id || n)::bigint & 2147483647)`;
  await knex.raw(
    `
    INSERT INTO failed_message_attempts
      (id, message_id, attempt_number, trigger, actor, started_at,
       finished_at, outcome, for_error_code, provider_message_id)
    SELECT
      md5('attempt' || m.id || n)::uuid::text,
      m.id,
      n,
      CASE WHEN ${h('trigger')} % 100 < 70 THEN 'automatic'
           WHEN ${h('trigger')} % 100 < 85 THEN 'manual'
           ELSE 'bulk' END,
      CASE WHEN ${h('trigger')} % 100 < 70 THEN NULL
           ELSE 'user:default/bench' END,
      m.failed_at + make_interval(mins => 15 * n),
      m.failed_at + make_interval(mins => 15 * n, secs => 1),
      CASE WHEN ${h('outcome')} % 100 < 55 THEN 'succeeded'
           WHEN ${h('outcome')} % 100 < 95 THEN 'failed'
           ELSE 'outcome-unknown' END,
      m.error_code,
      'wamid.' || md5('attempt' || m.id || n)
    FROM failed_messages m CROSS JOIN generate_series(1, 3) AS n
    WHERE m.retry_status <> 'never-retried'
    LIMIT ?
    `,
    [count],
  );
}

/**
 * Inserts the delivery counts of about `sends` sends over STATISTICS_DAYS
 * days: per day, number and campaign, campaigns weighted 1 to 20, about 93%
 * delivered, 70% of those read and 2 to 6% failed.
 */
async function seedDeliveryCounts(
  knex: Knex,
  sends: number,
  anchor: Date,
): Promise<void> {
  const numbers = NUMBERS.map(() => '(?, ?::int)').join(', ');
  const h = (salt: string) =>
    `(hashtext('${salt}' || d || n.phone_number_id || c.name)::bigint & 2147483647)`;
  await knex.raw(
    `
    WITH n(phone_number_id, tenths) AS (VALUES ${numbers}),
    c AS (
      SELECT CASE WHEN i <= cardinality(?::text[]) THEN (?::text[])[i]
                  ELSE 'campaign-' || lpad(i::text, 2, '0') END AS name,
             1 + (hashtext('weight' || i)::bigint & 2147483647) % 20 AS weight
      FROM generate_series(1, ?::int) AS i
    ),
    w AS (SELECT sum(weight) AS total FROM c),
    k AS (
      SELECT d, n.phone_number_id, c.name AS campaign,
        floor(?::bigint * n.tenths * c.weight / (10.0 * w.total * ?::int))::bigint AS sent,
        ${h('fail')} % 5 + 2 AS failed_percent,
        CASE WHEN d < ?::int THEN ?::int ELSE 1 END AS shards
      FROM generate_series(0, ?::int - 1) AS d, n, c, w
    )
    INSERT INTO failed_message_delivery_counts
      (sent_day, phone_number_id, campaign, shard, sent, delivered, read, failed)
    SELECT
      to_char((?::timestamptz AT TIME ZONE 'UTC')::date - d, 'YYYY-MM-DD'),
      phone_number_id, campaign, shard,
      sent / shards + CASE WHEN shard = 0 THEN sent % shards ELSE 0 END,
      (sent / shards) * 93 / 100,
      (sent / shards) * 93 / 100 * 70 / 100,
      (sent / shards) * failed_percent / 100
    FROM k CROSS JOIN LATERAL generate_series(0, shards - 1) AS shard
    ORDER BY 1, 2, 3, 4
    `,
    [
      ...NUMBERS.flat(),
      `{${CAMPAIGNS.join(',')}}`,
      `{${CAMPAIGNS.join(',')}}`,
      CAMPAIGN_COUNT,
      sends,
      STATISTICS_DAYS,
      UNCOMPACTED_DAYS,
      SHARDS,
      STATISTICS_DAYS,
      anchor,
    ],
  );
}

/**
 * Seeds `attempts` attempts and the delivery counts of about `sends` sends;
 * answers how many of each the tables hold.
 */
export async function seedStatistics(
  knex: Knex,
  counts: { attempts: number; sends: number },
  anchor: Date,
): Promise<{ attempts: number; sends: number; deliveryCountRows: number }> {
  await seedAttempts(knex, counts.attempts);
  await seedDeliveryCounts(knex, counts.sends, anchor);
  await knex.raw('VACUUM (ANALYZE) failed_message_attempts');
  await knex.raw('VACUUM (ANALYZE) failed_message_delivery_counts');
  const [attempts] = await knex('failed_message_attempts').count({ n: '*' });
  const [delivery] = await knex('failed_message_delivery_counts')
    .count({ n: '*' })
    .sum({ sent: 'sent' });
  return {
    attempts: Number(attempts.n),
    sends: Number(delivery.sent),
    deliveryCountRows: Number(delivery.n),
  };
}

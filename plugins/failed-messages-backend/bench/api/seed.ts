/*
 * The API bench's data: failed messages generated in PostgreSQL with a
 * deterministic spread over codes, campaigns, statuses and 120 days.
 */
import { performance } from 'node:perf_hooks';
import { Knex } from 'knex';
import { ErrorCodeCatalogue } from '@msgops/plugin-failed-messages-common';
import { rebuildCounts } from '../../src/database/messageCounts';
import { FAILED_MESSAGE_COLUMNS, log } from '../benchSupport';

/**
 * 19 codes of the catalogue with a share of the traffic in per mille; the
 * category, title and message come from the catalogue itself.
 */
const CODE_WEIGHTS: [string, number][] = [
  // retryable
  ['130429', 200],
  ['131000', 60],
  ['131016', 40],
  ['131056', 50],
  ['133016', 10],
  ['131057', 20],
  ['2', 20],
  ['4', 30],
  // business-logic
  ['131049', 150],
  ['131047', 100],
  ['132015', 20],
  ['131048', 30],
  // non-retryable
  ['131026', 130],
  ['131050', 30],
  ['131051', 20],
  ['132000', 30],
  ['132001', 20],
  ['131008', 20],
  ['100', 20],
];

export const CAMPAIGNS = [
  'order-updates',
  'shipping-notifications',
  'appointment-reminders',
  'spring-promo',
  'account-alerts',
];

const SEED_DAYS = 120;

function codesValues(): { sql: string; bindings: Knex.RawBinding[] } {
  const catalogue = new ErrorCodeCatalogue();
  let lo = 0;
  const rows: string[] = [];
  const bindings: Knex.RawBinding[] = [];
  for (const [code, weight] of CODE_WEIGHTS) {
    const info = catalogue.lookup(code);
    rows.push('(?, ?, ?, ?::int, ?::int)');
    bindings.push(code, info.title, info.category, lo, lo + weight);
    lo += weight;
  }
  if (lo !== 1000) {
    throw new Error(`code weights add up to ${lo}, not 1000`);
  }
  return { sql: rows.join(', '), bindings };
}

/** Inserts rows numbered first..last with a deterministic pseudo-random spread. */
async function seedRange(
  knex: Knex,
  first: number,
  last: number,
  anchor: Date,
): Promise<void> {
  const codes = codesValues();
  // h(salt) is a stable pseudo-random non-negative integer per row.
  const h = (salt: string) => `(hashtext('${salt}' || g)::bigint & 2147483647)`;
  await knex.raw(
    `
    WITH codes(code, title, category, lo, hi) AS (VALUES ${codes.sql}),
    r AS (
      SELECT g,
        ${h('code')} % 1000 AS rc,
        ${h('status')} % 100 AS rs,
        ${h('time')} % ${SEED_DAYS * 86400} AS rt,
        ${h('camp')} % 100 AS rcamp,
        ${h('rcpt')} % 200000 AS rrcpt,
        ?::timestamptz AS anchor,
        ?::text[] AS campaigns
      FROM generate_series(?::int, ?::int) AS g
    ),
    m AS (
      SELECT r.*, codes.code, codes.title, codes.category,
        r.anchor - make_interval(secs => r.rt) AS failed_at,
        '+' || (16505550000 + r.rrcpt)::text AS recipient,
        CASE WHEN r.rcamp < 10 THEN NULL
             ELSE r.campaigns[1 + r.rcamp % 5] END AS campaign,
        CASE
          WHEN codes.category = 'retryable' THEN CASE
            WHEN r.rs < 35 THEN 'never-retried'
            WHEN r.rs < 55 THEN 'retrying'
            WHEN r.rs < 70 THEN 'retry-failed'
            WHEN r.rs < 80 THEN 'max-attempts-reached'
            WHEN r.rs < 97 THEN 'retry-succeeded'
            ELSE 'outcome-unknown' END
          WHEN codes.category = 'business-logic' THEN CASE
            WHEN r.rs < 70 THEN 'never-retried'
            WHEN r.rs < 85 THEN 'retry-failed'
            WHEN r.rs < 95 THEN 'retry-succeeded'
            ELSE 'max-attempts-reached' END
          ELSE CASE WHEN r.rs < 95 THEN 'never-retried' ELSE 'retry-failed' END
        END AS retry_status
      FROM r JOIN codes ON r.rc >= codes.lo AND r.rc < codes.hi
    )
    INSERT INTO failed_messages (${FAILED_MESSAGE_COLUMNS})
    SELECT
      md5('id' || g)::uuid::text,
      'whatsapp',
      'wamid.' || md5('ext' || g),
      recipient,
      campaign,
      CASE WHEN campaign IS NULL THEN NULL
           ELSE replace(campaign, '-', '_') || '_v2' END,
      json_build_object(
        'messaging_product', 'whatsapp', 'to', recipient, 'type', 'template',
        'template', json_build_object(
          'name', coalesce(replace(campaign, '-', '_'), 'generic_notice') || '_v2',
          'language', json_build_object('code', 'en_US')))::text,
      code,
      title,
      '(#' || code || ') ' || title,
      CASE WHEN code = '131047' THEN
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.'
      END,
      category,
      retry_status,
      CASE WHEN category <> 'retryable' OR retry_status = 'never-retried' THEN 0
           WHEN retry_status = 'max-attempts-reached' THEN 5
           ELSE 1 + rs % 3 END,
      CASE WHEN category = 'retryable' OR retry_status = 'never-retried' THEN 0
           ELSE 1 END,
      CASE WHEN retry_status = 'retrying'
           THEN failed_at + make_interval(mins => (15 * (1 + rs % 4))::int) END,
      failed_at,
      CASE WHEN retry_status <> 'never-retried'
           THEN failed_at + interval '10 minutes' END,
      CASE WHEN retry_status = 'retry-succeeded'
           THEN failed_at + interval '20 minutes' END,
      failed_at + interval '1 second',
      failed_at + interval '1 second'
    FROM m
    `,
    [...codes.bindings, anchor, `{${CAMPAIGNS.join(',')}}`, first, last],
  );
}

/**
 * Adds rows from+1..to, then recounts the totals and analyses the tables the
 * read routes use; returns the milliseconds it took.
 */
export async function seedTo(
  knex: Knex,
  from: number,
  to: number,
  anchor: Date,
): Promise<number> {
  const started = performance.now();
  const chunk = 250_000;
  for (let first = from + 1; first <= to; first += chunk) {
    const last = Math.min(to, first + chunk - 1);
    await seedRange(knex, first, last, anchor);
    log(`  seeded rows ${first}..${last}`);
  }
  // Rows loaded behind the store's back: recount the daily and monthly totals.
  await rebuildCounts(knex);
  await knex.raw('VACUUM (ANALYZE) failed_messages');
  await knex.raw('VACUUM (ANALYZE) failed_message_counts');
  await knex.raw('VACUUM (ANALYZE) failed_message_month_counts');
  await knex.raw('VACUUM (ANALYZE) failed_message_search');
  return performance.now() - started;
}

/* The retry bench's data: eligible messages generated in PostgreSQL. */
import { performance } from 'node:perf_hooks';
import { Knex } from 'knex';
import { ErrorCodeCatalogue } from '@msgops/plugin-failed-messages-common';
import { rebuildCounts } from '../../src/database/messageCounts';
import { FAILED_MESSAGE_COLUMNS, log } from '../benchSupport';

const ERROR_CODE = '130429';
const TEMPLATE = 'bench_notice_v1';

const TABLES = [
  'failed_message_bulk_retry_items',
  'failed_message_bulk_retries',
  'failed_message_attempts',
  'failed_message_attempt_counts',
  'failed_message_counts',
  'failed_messages',
];

/**
 * Empties the tables and inserts `count` eligible messages: retryable
 * (130429), never retried, failed between one and two days ago, with a
 * template payload; 200,000 recipients.
 */
export async function seed(knex: Knex, count: number): Promise<number> {
  const started = performance.now();
  await knex.raw(`TRUNCATE ${TABLES.join(', ')} CASCADE`);
  const title = new ErrorCodeCatalogue().lookup(ERROR_CODE).title;
  const anchor = new Date();
  const chunk = 250_000;
  for (let first = 1; first <= count; first += chunk) {
    const last = Math.min(count, first + chunk - 1);
    await knex.raw(
      `
      WITH m AS (
        SELECT g, '+' || (16505550000 + g % 200000)::text AS recipient
        FROM generate_series(?::int, ?::int) AS g
      )
      INSERT INTO failed_messages (${FAILED_MESSAGE_COLUMNS})
      SELECT
        md5('retry' || g)::uuid::text,
        'whatsapp',
        'wamid.' || md5('retry-ext' || g),
        recipient,
        'bench-campaign',
        ?,
        json_build_object(
          'messaging_product', 'whatsapp', 'to', recipient, 'type', 'template',
          'template', json_build_object(
            'name', ?::text,
            'language', json_build_object('code', 'en_US')))::text,
        ?, ?, '(#' || ? || ') ' || ?, NULL,
        'retryable', 'never-retried', 0, 0, NULL,
        ?::timestamptz - interval '1 day' - make_interval(secs => g % 86400),
        NULL, NULL, now(), now()
      FROM m
      `,
      [
        first,
        last,
        TEMPLATE,
        TEMPLATE,
        ERROR_CODE,
        title,
        ERROR_CODE,
        title,
        anchor,
      ],
    );
    if (count > chunk) log(`  seeded ${last} of ${count}`);
  }
  // Rows loaded behind the store's back: recount the per-day totals.
  await rebuildCounts(knex);
  await knex.raw('ANALYZE failed_messages');
  await knex.raw('ANALYZE failed_message_counts');
  return performance.now() - started;
}

/** Attempts recorded in PostgreSQL, and for how many distinct messages. */
export async function attemptCounts(knex: Knex) {
  const [row] = (
    await knex.raw(
      `SELECT count(*) AS attempts, count(DISTINCT message_id) AS messages,
         count(*) FILTER (WHERE outcome = 'succeeded') AS succeeded
       FROM failed_message_attempts`,
    )
  ).rows;
  return {
    attempts: Number(row.attempts),
    messages: Number(row.messages),
    succeeded: Number(row.succeeded),
  };
}

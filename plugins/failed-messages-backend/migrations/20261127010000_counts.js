// @ts-check

/**
 * Per-day counts of failed messages by the dimensions the list filters on,
 * kept in step with every write. Totals and the summary read these instead of
 * counting a million rows; only the partial first and last day of a time
 * window are counted from failed_messages itself.
 *
 * Each count is spread over a few shards so that many concurrent retries of
 * similar messages do not queue on one row.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('failed_message_counts', table => {
    table.comment(
      'Message counts per UTC day, category, code, retry status and campaign',
    );
    table.string('failed_day', 10).notNullable().comment('YYYY-MM-DD (UTC)');
    table.string('category', 32).notNullable();
    table.string('error_code', 32).notNullable();
    table.string('retry_status', 32).notNullable();
    table
      .string('campaign', 255)
      .notNullable()
      .comment("'' for messages without a campaign");
    table.integer('shard').notNullable();
    table.bigInteger('count').notNullable();
    table.primary([
      'failed_day',
      'category',
      'error_code',
      'retry_status',
      'campaign',
      'shard',
    ]);
  });

  const client = knex.client.config.client;
  const day =
    client === 'pg'
      ? `to_char(failed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
      : `strftime('%Y-%m-%d', failed_at / 1000, 'unixepoch')`;
  await knex.raw(
    `INSERT INTO failed_message_counts
       (failed_day, category, error_code, retry_status, campaign, shard, count)
     SELECT ${day}, category, error_code, retry_status, coalesce(campaign, ''), 0, count(*)
     FROM failed_messages
     GROUP BY ${day}, category, error_code, retry_status, coalesce(campaign, '')`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('failed_message_counts');
};

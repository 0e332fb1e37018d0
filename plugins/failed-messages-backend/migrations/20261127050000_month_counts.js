// @ts-check

/**
 * The per-day counts rolled up per UTC month, kept in step with every write
 * like the daily ones. A long or unbounded time window sums whole months
 * here (a few thousand rows at a million messages) instead of one row per
 * day and key; only the partial months come from the daily counts.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('failed_message_month_counts', table => {
    table.comment(
      'Message counts per UTC month, category, code, retry status and campaign',
    );
    table.string('failed_month', 7).notNullable().comment('YYYY-MM (UTC)');
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
      'failed_month',
      'category',
      'error_code',
      'retry_status',
      'campaign',
      'shard',
    ]);
  });

  // The daily counts are exact, so their sums are the monthly counts.
  await knex.raw(
    `INSERT INTO failed_message_month_counts
       (failed_month, category, error_code, retry_status, campaign, shard, count)
     SELECT substr(failed_day, 1, 7), category, error_code, retry_status, campaign, 0, sum(count)
     FROM failed_message_counts
     GROUP BY substr(failed_day, 1, 7), category, error_code, retry_status, campaign
     HAVING sum(count) <> 0
     ORDER BY 1, 2, 3, 4, 5`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('failed_message_month_counts');
};

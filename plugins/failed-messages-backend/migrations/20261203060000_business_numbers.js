// @ts-check

/**
 * Business numbers and accounts.
 *
 * - Every message records the business number that sent it
 *   (`phone_number_id`, with the `display_phone_number` Meta reported), null
 *   for messages stored before, or reported without one where several
 *   numbers are configured. The counts gain the number as a dimension
 *   ('' for none), so the summary filtered by number stays a sum of counts.
 * - `failed_message_send_slots` holds, per number, the time (epoch
 *   milliseconds on PostgreSQL's clock) from which its next send may start:
 *   every replica reserves its sends there, so a number's rate holds for the
 *   whole deployment.
 * - `failed_message_account_pauses` holds the accounts whose automatic and
 *   bulk sends are paused after an account-level error, until an admin
 *   resumes them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('failed_messages', table => {
    table
      .string('phone_number_id', 64)
      .nullable()
      .comment('The business number that sent the message');
    table.string('display_phone_number', 32).nullable();
    table.index(['phone_number_id', 'failed_at'], 'failed_messages_number_idx');
  });

  for (const [table, period] of [
    ['failed_message_counts', 'failed_day'],
    ['failed_message_month_counts', 'failed_month'],
  ]) {
    const rebuilt = `${table}_rebuilt`;
    await knex.schema.createTable(rebuilt, t => {
      t.string(period, 10).notNullable();
      t.string('category', 32).notNullable();
      t.string('error_code', 32).notNullable();
      t.string('retry_status', 32).notNullable();
      t.string('state', 16).notNullable();
      t.string('campaign', 255).notNullable();
      t.string('phone_number_id', 64)
        .notNullable()
        .defaultTo('')
        .comment("'' for messages without a business number");
      t.integer('shard').notNullable();
      t.bigInteger('count').notNullable();
      t.primary(
        [
          period,
          'category',
          'error_code',
          'retry_status',
          'state',
          'campaign',
          'phone_number_id',
          'shard',
        ],
        `${table}_pkey_numbers`,
      );
    });
    await knex.raw(
      `INSERT INTO ${rebuilt}
         (${period}, category, error_code, retry_status, state, campaign, phone_number_id, shard, count)
       SELECT ${period}, category, error_code, retry_status, state, campaign, '', shard, count
       FROM ${table}`,
    );
    await knex.schema.dropTable(table);
    await knex.schema.renameTable(rebuilt, table);
  }

  await knex.schema.createTable('failed_message_send_slots', table => {
    table.comment('Per business number: when its next send may start');
    table.string('phone_number_id', 64).primary();
    table
      .double('next_at_ms')
      .notNullable()
      .comment('Epoch milliseconds on the database clock');
  });

  await knex.schema.createTable('failed_message_account_pauses', table => {
    table.comment('Accounts whose automatic and bulk sends are paused');
    table.string('account', 64).primary();
    table.text('reason').notNullable();
    table.string('code', 32).notNullable();
    table.timestamp('since', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('failed_message_account_pauses');
  await knex.schema.dropTable('failed_message_send_slots');
  for (const [table, period] of [
    ['failed_message_counts', 'failed_day'],
    ['failed_message_month_counts', 'failed_month'],
  ]) {
    const rebuilt = `${table}_rebuilt`;
    await knex.schema.createTable(rebuilt, t => {
      t.string(period, 10).notNullable();
      t.string('category', 32).notNullable();
      t.string('error_code', 32).notNullable();
      t.string('retry_status', 32).notNullable();
      t.string('state', 16).notNullable();
      t.string('campaign', 255).notNullable();
      t.integer('shard').notNullable();
      t.bigInteger('count').notNullable();
      t.primary([
        period,
        'category',
        'error_code',
        'retry_status',
        'state',
        'campaign',
        'shard',
      ]);
    });
    await knex.raw(
      `INSERT INTO ${rebuilt}
         (${period}, category, error_code, retry_status, state, campaign, shard, count)
       SELECT ${period}, category, error_code, retry_status, state, campaign, shard, sum(count)
       FROM ${table}
       GROUP BY ${period}, category, error_code, retry_status, state, campaign, shard`,
    );
    await knex.schema.dropTable(table);
    await knex.schema.renameTable(rebuilt, table);
  }
  await knex.schema.alterTable('failed_messages', table => {
    table.dropIndex(
      ['phone_number_id', 'failed_at'],
      'failed_messages_number_idx',
    );
    table.dropColumn('display_phone_number');
    table.dropColumn('phone_number_id');
  });
};

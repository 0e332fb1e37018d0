// @ts-check

/**
 * The state of a message, open, resolved or dismissed, and who dismissed it,
 * when and why; every dismissal and reopening in a history table of its own,
 * which the timeline shows.
 *
 * The state is a column of its own, not read from resolved_at and the
 * dismissal, so the counts can key on it: the page opens on open failures,
 * and its summary must come from the counts as the unfiltered one did, not
 * from counting a million rows. The counts tables get `state` in their key
 * and are recounted.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('failed_messages', table => {
    table.string('state', 16).notNullable().defaultTo('open');
    table.timestamp('dismissed_at', { useTz: true }).nullable();
    table.string('dismissed_by', 255).nullable();
    table.string('dismiss_reason', 500).nullable();
  });
  await knex('failed_messages')
    .whereNotNull('resolved_at')
    .update({ state: 'resolved' });
  // The open view sorted by time reads this index in order.
  await knex.schema.alterTable('failed_messages', table => {
    table.index(['state', 'failed_at'], 'failed_messages_state_idx');
  });

  await knex.schema.createTable('failed_message_state_changes', table => {
    table.comment('Every dismissal and reopening of a failed message');
    table.string('id', 36).primary().notNullable();
    table
      .string('message_id', 36)
      .notNullable()
      .references('id')
      .inTable('failed_messages')
      .onDelete('CASCADE');
    table.string('change', 16).notNullable().comment('dismissed | reopened');
    table.string('actor', 255).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('reason', 500).nullable();
    table.index(['message_id', 'at'], 'failed_message_state_changes_idx');
  });

  await recount(knex, ['state']);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('failed_message_state_changes');
  await recount(knex, []);
  await knex.schema.alterTable('failed_messages', table => {
    table.dropIndex([], 'failed_messages_state_idx');
    table.dropColumn('state');
    table.dropColumn('dismissed_at');
    table.dropColumn('dismissed_by');
    table.dropColumn('dismiss_reason');
  });
};

/**
 * Creates the daily and monthly counts again, keyed with `extra` columns
 * besides those of the counts migrations, and counts every message anew.
 *
 * @param {import('knex').Knex} knex
 * @param {string[]} extra
 */
async function recount(knex, extra) {
  const levels = [
    { table: 'failed_message_counts', period: 'failed_day', length: 10 },
    { table: 'failed_message_month_counts', period: 'failed_month', length: 7 },
  ];
  const dimensions = ['category', 'error_code', 'retry_status', ...extra];
  for (const { table, period, length } of levels) {
    await knex.schema.dropTable(table);
    await knex.schema.createTable(table, t => {
      t.string(period, length).notNullable().comment('UTC day or month');
      for (const column of dimensions) {
        t.string(column, 32).notNullable();
      }
      t.string('campaign', 255)
        .notNullable()
        .comment("'' for messages without a campaign");
      t.integer('shard').notNullable();
      t.bigInteger('count').notNullable();
      t.primary([period, ...dimensions, 'campaign', 'shard']);
    });
  }
  const day =
    knex.client.config.client === 'pg'
      ? `to_char(failed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
      : `strftime('%Y-%m-%d', failed_at / 1000, 'unixepoch')`;
  const keys = [...dimensions, 'campaign'].join(', ');
  const order = [...dimensions, 'campaign', ''].map((_, i) => i + 1).join(', ');
  await knex.raw(
    `INSERT INTO failed_message_counts (failed_day, ${keys}, shard, count)
     SELECT ${day}, ${dimensions.join(
      ', ',
    )}, coalesce(campaign, ''), 0, count(*)
       FROM failed_messages
      GROUP BY ${day}, ${dimensions.join(', ')}, coalesce(campaign, '')
      ORDER BY ${order}`,
  );
  await knex.raw(
    `INSERT INTO failed_message_month_counts (failed_month, ${keys}, shard, count)
     SELECT substr(failed_day, 1, 7), ${keys}, 0, sum(count)
       FROM failed_message_counts
      GROUP BY substr(failed_day, 1, 7), ${keys}
      ORDER BY ${order}`,
  );
}

// @ts-check

/**
 * Meta's time of each status it reported for an attempt's provider message
 * id, so that the history shows every step (sent, delivered, read, failed)
 * and not only the latest. Statuses arrive out of order and twice, so each
 * column keeps the earliest time Meta gave for its status. Stored attempts
 * knew only their latest status: its time fills its column.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('failed_message_attempts', table => {
    table.timestamp('status_sent_at', { useTz: true }).nullable();
    table.timestamp('status_delivered_at', { useTz: true }).nullable();
    table.timestamp('status_read_at', { useTz: true }).nullable();
    table.timestamp('status_failed_at', { useTz: true }).nullable();
  });
  for (const status of ['sent', 'delivered', 'read', 'failed']) {
    await knex('failed_message_attempts')
      .where('last_status', status)
      .update({ [`status_${status}_at`]: knex.ref('last_status_at') });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('failed_message_attempts', table => {
    table.dropColumn('status_sent_at');
    table.dropColumn('status_delivered_at');
    table.dropColumn('status_read_at');
    table.dropColumn('status_failed_at');
  });
};

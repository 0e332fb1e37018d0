// @ts-check

/**
 * The latest status Meta reported for an attempt's provider message id, and
 * Meta's time of it: statuses arrive out of order, and a failure is final
 * for its id, so a later `sent` must not undo it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('failed_message_attempts', table => {
    table.string('last_status', 16).nullable();
    table.timestamp('last_status_at', { useTz: true }).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('failed_message_attempts', table => {
    table.dropColumn('last_status');
    table.dropColumn('last_status_at');
  });
};

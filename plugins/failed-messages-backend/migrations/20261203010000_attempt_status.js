// @ts-check

/**
 * The latest status Meta reported for an attempt's provider message id, and
 * Meta's time of it: statuses arrive out of order, and a failure is final
 * for its id, so a later `sent` must not undo it. And how a person settled
 * an attempt of unknown outcome by hand: as what, who, when and why.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('failed_message_attempts', table => {
    table.string('last_status', 16).nullable();
    table.timestamp('last_status_at', { useTz: true }).nullable();
    table.string('settled_as', 16).nullable();
    table.string('settled_by', 255).nullable();
    table.timestamp('settled_at', { useTz: true }).nullable();
    table.string('settle_reason', 500).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('failed_message_attempts', table => {
    table.dropColumn('last_status');
    table.dropColumn('last_status_at');
    table.dropColumn('settled_as');
    table.dropColumn('settled_by');
    table.dropColumn('settled_at');
    table.dropColumn('settle_reason');
  });
};

// @ts-check

/**
 * A running bulk retry's worker stamps it regularly; another replica resumes
 * a run whose stamp went stale (its process died).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('failed_message_bulk_retries', table => {
    table.timestamp('heartbeat_at', { useTz: true }).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('failed_message_bulk_retries', table => {
    table.dropColumn('heartbeat_at');
  });
};

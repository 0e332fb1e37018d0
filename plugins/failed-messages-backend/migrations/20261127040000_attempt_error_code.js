// @ts-check

/**
 * The error an attempt tried to recover from, so statistics can tell how
 * well retries work per error code (the message's own code changes when a
 * retry fails differently).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('failed_message_attempts', table => {
    table.string('for_error_code', 32).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('failed_message_attempts', table => {
    table.dropColumn('for_error_code');
  });
};

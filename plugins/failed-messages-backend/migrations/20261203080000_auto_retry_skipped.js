// @ts-check

/**
 * What an automatic run left alone, and why: `skipped` holds a JSON array
 * of `{ reason, count }`, the most frequent reason first. Null for runs
 * recorded before it (shown as nothing skipped).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('failed_message_auto_retry_runs', table => {
    table
      .text('skipped')
      .nullable()
      .comment('JSON [{ reason, count }] of the messages the run left alone');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('failed_message_auto_retry_runs', table => {
    table.dropColumn('skipped');
  });
};

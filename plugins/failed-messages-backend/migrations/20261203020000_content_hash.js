// @ts-check

/**
 * A report without an external id is idempotent on its content within a
 * day: `content_hash` is the SHA-256 of the canonical JSON of its recipient,
 * payload, campaign, template and error together with the UTC day it failed
 * on, so a client that sends the same report again (a timeout, a retried
 * job) gets the existing record back. Reports with an external id, and
 * those stored before, have none; both databases let a unique index hold
 * any number of NULLs.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('failed_messages', table => {
    table.string('content_hash', 64).nullable();
    table.unique(['content_hash'], {
      indexName: 'failed_messages_content_hash_unique',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('failed_messages', table => {
    table.dropUnique(['content_hash'], 'failed_messages_content_hash_unique');
    table.dropColumn('content_hash');
  });
};

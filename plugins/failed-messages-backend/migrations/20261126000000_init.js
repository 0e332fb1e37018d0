// @ts-check

/**
 * Failed messages and their retry attempts.
 *
 * Indexes follow the list's filters: each filter column is paired with
 * failed_at so a filtered page sorted by time is an index range scan, and the
 * summary's per-category counts can be answered from an index alone.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('failed_messages', table => {
    table.comment('Outbound messages that the provider reported as failed');
    table.string('id', 36).primary().notNullable();
    table.string('channel', 32).notNullable().defaultTo('whatsapp');
    table
      .string('external_id', 255)
      .nullable()
      .comment('The provider message id of the original send (wamid)');
    table.string('recipient', 64).notNullable();
    table.string('campaign', 255).nullable();
    table.string('template_name', 255).nullable();
    table
      .text('payload')
      .nullable()
      .comment('The stored send request as JSON; null when we never saw it');
    table.string('error_code', 32).notNullable();
    table.text('error_title').nullable();
    table.text('error_message').nullable();
    table.text('error_details').nullable();
    table.string('category', 32).notNullable();
    table.string('retry_status', 32).notNullable().defaultTo('never-retried');
    table.integer('automatic_attempts').notNullable().defaultTo(0);
    table.integer('manual_attempts').notNullable().defaultTo(0);
    table.timestamp('next_automatic_retry_at', { useTz: true }).nullable();
    table.timestamp('failed_at', { useTz: true }).notNullable();
    table.timestamp('last_attempt_at', { useTz: true }).nullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();

    table.unique(['channel', 'external_id'], {
      indexName: 'failed_messages_channel_external_id_uq',
    });
    table.index(['failed_at', 'category'], 'failed_messages_failed_at_idx');
    table.index(['category', 'failed_at'], 'failed_messages_category_idx');
    table.index(['error_code', 'failed_at'], 'failed_messages_error_code_idx');
    table.index(
      ['retry_status', 'failed_at'],
      'failed_messages_retry_status_idx',
    );
    table.index(['campaign', 'failed_at'], 'failed_messages_campaign_idx');
    table.index(['next_automatic_retry_at'], 'failed_messages_next_retry_idx');
    table.index(['recipient', 'failed_at'], 'failed_messages_recipient_idx');
  });

  await knex.schema.createTable('failed_message_attempts', table => {
    table.comment('Every retry attempt of a failed message');
    table.string('id', 36).primary().notNullable();
    table
      .string('message_id', 36)
      .notNullable()
      .references('id')
      .inTable('failed_messages')
      .onDelete('CASCADE');
    table.integer('attempt_number').notNullable();
    table.string('trigger', 32).notNullable();
    table.string('actor', 255).nullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.string('outcome', 32).notNullable();
    table.string('error_code', 32).nullable();
    table.text('error_title').nullable();
    table.text('error_message').nullable();
    table.text('error_details').nullable();
    table.string('provider_message_id', 255).nullable();

    table.unique(['message_id', 'attempt_number'], {
      indexName: 'failed_message_attempts_number_uq',
    });
    table.index(
      ['provider_message_id'],
      'failed_message_attempts_provider_idx',
    );
    table.index(['started_at'], 'failed_message_attempts_started_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('failed_message_attempts');
  await knex.schema.dropTable('failed_messages');
};

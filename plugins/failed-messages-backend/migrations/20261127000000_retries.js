// @ts-check

/**
 * Retry bookkeeping: claim leases on messages, bulk retries with the snapshot
 * of messages they act on, and the automatic runs.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('failed_messages', table => {
    table
      .timestamp('lease_expires_at', { useTz: true })
      .nullable()
      .comment(
        'While retrying: when the claim lapses and the attempt becomes outcome-unknown',
      );
  });

  await knex.schema.createTable('failed_message_bulk_retries', table => {
    table.comment(
      'Bulk retries: who started them, on what, and how far they got',
    );
    table.string('id', 36).primary().notNullable();
    table.string('status', 32).notNullable();
    table.text('scope').notNullable().comment('JSON: the ids or the filter');
    table.text('reason').nullable();
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.integer('total').notNullable().defaultTo(0);
    table.integer('processed').notNullable().defaultTo(0);
    table.integer('succeeded').notNullable().defaultTo(0);
    table.integer('failed').notNullable().defaultTo(0);
    table.integer('skipped').notNullable().defaultTo(0);
    table.index(['status'], 'failed_message_bulk_retries_status_idx');
  });

  await knex.schema.createTable('failed_message_bulk_retry_items', table => {
    table.comment(
      'The messages a bulk retry acts on, fixed when it was created',
    );
    table
      .string('bulk_retry_id', 36)
      .notNullable()
      .references('id')
      .inTable('failed_message_bulk_retries')
      .onDelete('CASCADE');
    table.integer('position').notNullable();
    table.string('message_id', 36).notNullable();
    table
      .string('outcome', 32)
      .nullable()
      .comment(
        'null until processed: succeeded, failed, skipped, outcome-unknown',
      );
    table.text('skip_reason').nullable();
    table.primary(['bulk_retry_id', 'position']);
  });

  await knex.schema.alterTable('failed_message_attempts', table => {
    table
      .string('bulk_retry_id', 36)
      .nullable()
      .comment('The bulk retry that made this attempt, if any');
    table.boolean('forced').notNullable().defaultTo(false);
    table.text('reason').nullable();
  });

  await knex.schema.createTable('failed_message_auto_retry_runs', table => {
    table.comment('Automatic retry runs and their figures');
    table.string('id', 36).primary().notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.string('triggered_by', 255).nullable();
    table.integer('attempted').notNullable().defaultTo(0);
    table.integer('succeeded').notNullable().defaultTo(0);
    table.integer('failed').notNullable().defaultTo(0);
    table.text('paused_reason').nullable();
    table.index(['started_at'], 'failed_message_auto_retry_runs_started_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('failed_message_auto_retry_runs');
  await knex.schema.alterTable('failed_message_attempts', table => {
    table.dropColumn('reason');
    table.dropColumn('forced');
    table.dropColumn('bulk_retry_id');
  });
  await knex.schema.dropTable('failed_message_bulk_retry_items');
  await knex.schema.dropTable('failed_message_bulk_retries');
  await knex.schema.alterTable('failed_messages', table => {
    table.dropColumn('lease_expires_at');
  });
};

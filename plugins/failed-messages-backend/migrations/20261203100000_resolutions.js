// @ts-check

/**
 * Why a resolved message is resolved: `delivered` (a resend, or a hand
 * settlement, reached the customer; `resolved_at` is its time) or
 * `newer-delivery` (a later message to the same recipient with the same
 * template reached them, `newer_message_id`, so resending this one would be
 * stale). `resolution_at` is when it was resolved. `resolved_at` keeps
 * meaning "this message was delivered": the statistics and the
 * newer-delivery index read it.
 *
 * When a message is delivered, the older open messages of its recipient and
 * template are resolved: failed_messages_open_template_idx holds exactly the
 * rows that look is for (open, with a template), so it never scans the
 * table, and a message leaves it as it leaves the open state.
 *
 * Such a resolution is a state change the product makes on its own: the
 * state changes' actor becomes nullable (null: nobody, the product).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('failed_messages', table => {
    table
      .string('resolution', 16)
      .nullable()
      .comment('delivered | newer-delivery; read only while state = resolved');
    table.timestamp('resolution_at', { useTz: true }).nullable();
    table
      .string('newer_message_id', 36)
      .nullable()
      .comment('The delivered newer message that resolved this one');
  });
  await knex('failed_messages')
    .where('state', 'resolved')
    .whereNotNull('resolved_at')
    .update({
      resolution: 'delivered',
      resolution_at: knex.ref('resolved_at'),
    });
  // Only this migration, undone and done again, leaves a message resolved
  // without a delivery of its own: a newer one's, now unknown.
  await knex('failed_messages')
    .where('state', 'resolved')
    .whereNull('resolved_at')
    .update({
      resolution: 'newer-delivery',
      resolution_at: knex.ref('updated_at'),
    });
  await knex.raw(
    `CREATE INDEX failed_messages_open_template_idx
       ON failed_messages (recipient, template_name, failed_at)
     WHERE state = 'open' AND template_name IS NOT NULL`,
  );
  await knex.schema.alterTable('failed_message_state_changes', table => {
    table.setNullable('actor');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  // The product's own changes have no actor to keep.
  await knex('failed_message_state_changes').whereNull('actor').delete();
  await knex.schema.alterTable('failed_message_state_changes', table => {
    table.dropNullable('actor');
  });
  await knex.raw('DROP INDEX failed_messages_open_template_idx');
  await knex.schema.alterTable('failed_messages', table => {
    table.dropColumn('resolution');
    table.dropColumn('resolution_at');
    table.dropColumn('newer_message_id');
  });
};

// @ts-check

/**
 * The send log and the delivery counts.
 *
 * - `failed_message_sends` holds one row per message a service sent
 *   (`POST /sends`) or Meta reported a status of, keyed by its wamid: the
 *   payload, campaign, template and business number, so a later `failed`
 *   status makes a resendable record. The payload is nulled after
 *   `failedMessages.sendLog.retentionDays`, the row deleted after
 *   `retentionDays`. `statuses` is the set of statuses already counted for
 *   the message (bits: 1 sent, 2 delivered, 4 read, 8 failed): a redelivered
 *   status finds its bit set and counts nothing, in whatever order Meta
 *   delivers them, where remembering only the highest status would drop a
 *   `sent` arriving after its `delivered`.
 * - `failed_message_delivery_counts` holds, per UTC day of the send,
 *   business number and campaign, how many messages were sent, delivered,
 *   read and failed: one row per key and shard, not one per status.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('failed_message_sends', table => {
    table.comment(
      'Sent messages, by wamid: what a failed status makes resendable',
    );
    table.string('external_id', 255).primary().comment("Meta's wamid");
    table.string('phone_number_id', 64).nullable();
    table.string('recipient', 64).nullable();
    table.string('campaign', 255).nullable();
    table.string('template_name', 255).nullable();
    table
      .text('payload')
      .nullable()
      .comment('Nulled after failedMessages.sendLog.retentionDays');
    table.timestamp('sent_at', { useTz: true }).notNullable();
    table
      .timestamp('logged_at', { useTz: true })
      .nullable()
      .comment('When POST /sends logged it; null while only a status was seen');
    table
      .integer('statuses')
      .notNullable()
      .defaultTo(0)
      .comment('Counted statuses: 1 sent, 2 delivered, 4 read, 8 failed');
    table.index(['sent_at'], 'failed_message_sends_sent_at_idx');
  });

  await knex.schema.createTable('failed_message_delivery_counts', table => {
    table.comment(
      'Sent, delivered, read and failed messages per UTC day, number and campaign',
    );
    table.string('sent_day', 10).notNullable().comment('YYYY-MM-DD (UTC)');
    table
      .string('phone_number_id', 64)
      .notNullable()
      .comment("'' for messages without a business number");
    table
      .string('campaign', 255)
      .notNullable()
      .comment("'' for messages without a campaign");
    table.integer('shard').notNullable();
    table.bigInteger('sent').notNullable().defaultTo(0);
    table.bigInteger('delivered').notNullable().defaultTo(0);
    table.bigInteger('read').notNullable().defaultTo(0);
    table.bigInteger('failed').notNullable().defaultTo(0);
    table.primary(['sent_day', 'phone_number_id', 'campaign', 'shard']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('failed_message_delivery_counts');
  await knex.schema.dropTable('failed_message_sends');
};

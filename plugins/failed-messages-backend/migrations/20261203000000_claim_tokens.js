// @ts-check

/**
 * Owner tokens. A retry claim writes a random token into its attempt, and
 * only the holder of that token records the attempt's outcome or gives the
 * claim back: a send that outlived its lease cannot overwrite a newer claim.
 * A bulk retry's worker writes its token into the run, and only it stamps
 * the run, so a replica that took over a stale run is not mistaken for the
 * one it replaced. A run from before has no owner until a worker takes it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('failed_message_attempts', table => {
    table.string('claim_token', 36).nullable();
  });
  // An attempt from before is its own token: a later failure report of an
  // accepted resend still finds it owned.
  await knex('failed_message_attempts').update({
    claim_token: knex.ref('id'),
  });
  await knex.schema.alterTable('failed_message_bulk_retries', table => {
    table.string('owner_token', 36).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('failed_message_attempts', table => {
    table.dropColumn('claim_token');
  });
  await knex.schema.alterTable('failed_message_bulk_retries', table => {
    table.dropColumn('owner_token');
  });
};

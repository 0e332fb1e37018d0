// @ts-check

/**
 * Free-text search over a message's recipient, ids, campaign, template and
 * error. On PostgreSQL a trigram index serves `LIKE '%…%'` on that text, so a
 * search does not read every row; where pg_trgm cannot be installed the
 * search still works, by scanning.
 *
 * Replaced by the search table of 20261202000000_search_table.js.
 */
const SEARCH_TEXT = `lower(coalesce(recipient, '') || ' ' || coalesce(external_id, '') || ' ' || coalesce(campaign, '') || ' ' || coalesce(template_name, '') || ' ' || error_code || ' ' || coalesce(error_title, ''))`;

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  if (knex.client.config.client !== 'pg') {
    return;
  }
  const { rows } = await knex.raw(
    `SELECT
       EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AS installed,
       EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm')
         AND has_database_privilege(current_database(), 'CREATE') AS installable`,
  );
  if (!rows[0].installed) {
    if (!rows[0].installable) {
      return;
    }
    await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  }
  await knex.raw(
    `CREATE INDEX failed_messages_search_idx ON failed_messages USING gin ((${SEARCH_TEXT}) gin_trgm_ops)`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (knex.client.config.client === 'pg') {
    await knex.raw('DROP INDEX IF EXISTS failed_messages_search_idx');
  }
};

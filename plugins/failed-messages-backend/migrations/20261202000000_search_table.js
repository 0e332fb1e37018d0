// @ts-check

/**
 * Free-text search moves from an index on `failed_messages` to a table of its
 * own, one row per message, kept by triggers.
 *
 * PostgreSQL rewrites every index of a row on each update that changes an
 * indexed column, and a retry changes `retry_status` twice (claim, finish).
 * The trigram index took its hundred or so entries per message each time:
 * 28% of the database's CPU in a profile of a bulk retry. Without it the
 * database spent a third less CPU per retried message (docs/benchmarks-history.md,
 * "Search text out of the messages table").
 * The search text changes only when the message's error does, so here it is
 * written at insert and on those changes alone.
 *
 * Triggers rather than the store's writes keep it in step with every writer,
 * including the benchmarks' bulk `INSERT … SELECT`. On PostgreSQL, inserts
 * are handled once per statement; updates fire only when a searched column
 * is set to a different value, so claims and finishes do not fire them.
 */

const SEARCHED_COLUMNS = [
  'recipient',
  'external_id',
  'campaign',
  'template_name',
  'error_code',
  'error_title',
];

/**
 * The searched text, as the store matched it before this migration; `row`
 * qualifies the columns (a trigger's NEW, a table alias) where given.
 */
function searchText(/** @type {string} */ row = '') {
  const parts = SEARCHED_COLUMNS.map(name => {
    const column = row ? `${row}.${name}` : name;
    // The error code is never null.
    return name === 'error_code' ? column : `coalesce(${column}, '')`;
  });
  return `lower(${parts.join(" || ' ' || ")})`;
}

/** @param {import('knex').Knex} knex */
async function trigramsAvailable(knex) {
  const { rows } = await knex.raw(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AS installed`,
  );
  return rows[0].installed;
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  const postgres = knex.client.config.client === 'pg';
  await knex.schema.createTable('failed_message_search', table => {
    table.comment(
      'The text free-text search matches, one row per failed message',
    );
    table
      .string('message_id', 36)
      .primary()
      .notNullable()
      .references('id')
      .inTable('failed_messages')
      .onDelete('CASCADE');
    table.text('text').notNullable();
  });
  await knex.raw(
    `INSERT INTO failed_message_search (message_id, text)
     SELECT m.id, ${searchText('m')} FROM failed_messages m`,
  );

  if (postgres) {
    // The functions name the search table unqualified, so they keep the
    // search path they were created with (the plugin's schema, where
    // Backstage divides plugins by schema): a write from a session with
    // another path, such as a person's psql, still finds the table.
    await knex.raw(`
      CREATE FUNCTION failed_message_search_inserted() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        INSERT INTO failed_message_search (message_id, text)
        SELECT n.id, ${searchText('n')} FROM inserted n;
        RETURN NULL;
      END $$`);
    await knex.raw(`
      CREATE TRIGGER failed_message_search_inserted
      AFTER INSERT ON failed_messages
      REFERENCING NEW TABLE AS inserted
      FOR EACH STATEMENT EXECUTE FUNCTION failed_message_search_inserted()`);
    await knex.raw(`
      CREATE FUNCTION failed_message_search_updated() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        UPDATE failed_message_search SET text = ${searchText('NEW')}
         WHERE message_id = NEW.id;
        RETURN NULL;
      END $$`);
    await knex.raw(`
      CREATE TRIGGER failed_message_search_updated
      AFTER UPDATE OF ${SEARCHED_COLUMNS.join(', ')} ON failed_messages
      FOR EACH ROW
      WHEN (${SEARCHED_COLUMNS.map(
        column => `OLD.${column} IS DISTINCT FROM NEW.${column}`,
      ).join(' OR ')})
      EXECUTE FUNCTION failed_message_search_updated()`);
    await knex.raw('DROP INDEX IF EXISTS failed_messages_search_idx');
    if (await trigramsAvailable(knex)) {
      await knex.raw(
        'CREATE INDEX failed_message_search_text_idx ON failed_message_search USING gin (text gin_trgm_ops)',
      );
    }
    return;
  }

  // SQLite enforces the foreign key only when told to, so the delete is a
  // trigger too.
  await knex.raw(`
    CREATE TRIGGER failed_message_search_inserted
    AFTER INSERT ON failed_messages
    BEGIN
      INSERT INTO failed_message_search (message_id, text)
      VALUES (NEW.id, ${searchText('NEW')});
    END`);
  await knex.raw(`
    CREATE TRIGGER failed_message_search_updated
    AFTER UPDATE OF ${SEARCHED_COLUMNS.join(', ')} ON failed_messages
    WHEN ${SEARCHED_COLUMNS.map(
      column => `OLD.${column} IS NOT NEW.${column}`,
    ).join(' OR ')}
    BEGIN
      UPDATE failed_message_search SET text = ${searchText('NEW')}
       WHERE message_id = NEW.id;
    END`);
  await knex.raw(`
    CREATE TRIGGER failed_message_search_deleted
    AFTER DELETE ON failed_messages
    BEGIN
      DELETE FROM failed_message_search WHERE message_id = OLD.id;
    END`);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  const postgres = knex.client.config.client === 'pg';
  if (postgres) {
    await knex.raw(
      'DROP TRIGGER IF EXISTS failed_message_search_inserted ON failed_messages',
    );
    await knex.raw(
      'DROP TRIGGER IF EXISTS failed_message_search_updated ON failed_messages',
    );
    await knex.raw('DROP FUNCTION IF EXISTS failed_message_search_inserted()');
    await knex.raw('DROP FUNCTION IF EXISTS failed_message_search_updated()');
  } else {
    for (const name of ['inserted', 'updated', 'deleted']) {
      await knex.raw(`DROP TRIGGER IF EXISTS failed_message_search_${name}`);
    }
  }
  await knex.schema.dropTable('failed_message_search');
  if (postgres && (await trigramsAvailable(knex))) {
    await knex.raw(
      `CREATE INDEX failed_messages_search_idx ON failed_messages USING gin ((${searchText()}) gin_trgm_ops)`,
    );
  }
};

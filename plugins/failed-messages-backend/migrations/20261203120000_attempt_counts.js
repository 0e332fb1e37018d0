// @ts-check

/**
 * Finished attempts counted per UTC day of their start, campaign and outcome,
 * along each dimension `GET /statistics` breaks them down by (trigger,
 * attempt number, error retried), so a 90-day window sums a few thousand
 * rows instead of reading every attempt: at a million attempts the index-only
 * scan of the attempts took most of a second.
 *
 * Only the marginals are kept (one row per dimension and value, not per
 * combination): the statistics show each dimension on its own, and the
 * combinations would be nearly as many rows as attempts.
 *
 * Triggers keep the counts, as they keep the search table, so every writer of
 * an attempt's outcome (finish, lease expiry, Meta's status, a person's
 * settlement, retention, the benchmarks' bulk inserts) counts alike. On
 * PostgreSQL they run once per statement over its transition tables, so a
 * batch of finishes is one upsert; concurrent writers spread a key over
 * shards as the failure counts do. A message's campaign filled in later moves
 * its attempts' counts along.
 *
 * The attempts are deleted before their message (retention does): a delete
 * cascaded from the message could no longer read its campaign.
 *
 * The covering index the statistics read until now has no reader left.
 */

const COUNTS = 'failed_message_attempt_counts';
const KEY = 'started_day, campaign, dimension, value, outcome';
const COUNTED = `('succeeded', 'failed', 'outcome-unknown')`;
const SHARDS = 8;

/**
 * The dimensions of an attempt `row` (a trigger's NEW or OLD, an alias): a
 * (dimension, value) pair each.
 */
function dimensionsOf(/** @type {string} */ row) {
  return [
    ['trigger', `${row}."trigger"`],
    ['attempt_number', `CAST(${row}.attempt_number AS TEXT)`],
    ['error_code', `coalesce(${row}.for_error_code, '')`],
  ];
}

/**
 * PostgreSQL: adds the moves (a query with campaign, started_at, "trigger",
 * attempt_number, for_error_code, outcome and delta) to the counts, summed
 * per key and in key order, so each count row changes once and concurrent
 * writers lock rows in the same order.
 */
function addMoves(/** @type {string} */ moves) {
  const dimensions = dimensionsOf('mv')
    .map(([dimension, value]) => `('${dimension}', ${value})`)
    .join(', ');
  return `INSERT INTO ${COUNTS} (${KEY}, shard, count)
    SELECT ${KEY}, floor(random() * ${SHARDS})::int, total
      FROM (SELECT to_char(mv.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS started_day,
                   mv.campaign, d.dimension, d.value, mv.outcome, sum(mv.delta) AS total
              FROM (${moves}) mv
             CROSS JOIN LATERAL (VALUES ${dimensions}) AS d(dimension, value)
             WHERE mv.outcome IN ${COUNTED}
             GROUP BY 1, 2, 3, 4, 5
            HAVING sum(mv.delta) <> 0) AS k
     ORDER BY started_day, campaign COLLATE "C", dimension, value COLLATE "C", outcome
    ON CONFLICT (${KEY}, shard)
    DO UPDATE SET count = ${COUNTS}.count + excluded.count`;
}

/** PostgreSQL: the moves of attempt rows in `table`, with their message's campaign. */
function attemptMoves(
  /** @type {string} */ table,
  /** @type {number} */ delta,
) {
  return `SELECT coalesce(m.campaign, '') AS campaign, a.started_at, a."trigger",
                 a.attempt_number, a.for_error_code, a.outcome, ${delta} AS delta
            FROM ${table} a LEFT JOIN failed_messages m ON m.id = a.message_id`;
}

/**
 * PostgreSQL: the trigger functions. Each names the tables unqualified and
 * keeps the search path it was created with, like the search table's.
 */
const FUNCTIONS = {
  inserted: addMoves(attemptMoves('inserted', 1)),
  // Every updated row leaves its old key and enters its new one; rows whose
  // key stayed sum to zero and change nothing.
  updated: addMoves(
    `${attemptMoves('before_update', -1)} UNION ALL ${attemptMoves(
      'after_update',
      1,
    )}`,
  ),
  deleted: addMoves(attemptMoves('deleted', -1)),
};

/**
 * SQLite: adds `delta` under `campaign` for each row of `source` (started_at,
 * outcome, dimension, value). SQLite applies an upsert row by row, so keys
 * may repeat.
 */
function addToCounts(
  /** @type {string} */ source,
  /** @type {string} */ campaign,
  /** @type {number} */ delta,
) {
  return `INSERT INTO ${COUNTS} (${KEY}, shard, count)
    SELECT strftime('%Y-%m-%d', d.started_at / 1000, 'unixepoch'),
           ${campaign}, d.dimension, d.value, d.outcome, 0, ${delta}
      FROM (${source}) AS d
     WHERE d.outcome IN ${COUNTED}
    ON CONFLICT (${KEY}, shard) DO UPDATE SET count = count + excluded.count;`;
}

/** SQLite: each dimension of the attempt `row` (NEW, OLD or an alias of `from`). */
function dimensionRows(
  /** @type {string} */ row,
  /** @type {string} */ from = '',
) {
  return dimensionsOf(row)
    .map(
      ([dimension, value]) =>
        `SELECT ${row}.started_at AS started_at, ${row}.outcome AS outcome,
                '${dimension}' AS dimension, ${value} AS value ${from}`,
    )
    .join(' UNION ALL ');
}

/** SQLite: adds `delta` for the attempt `row` (NEW or OLD) under `campaign`. */
const addRow = (
  /** @type {string} */ row,
  /** @type {string} */ campaign,
  /** @type {number} */ delta,
) => addToCounts(dimensionRows(row), campaign, delta);

const SQLITE_CAMPAIGN_OF = (/** @type {string} */ row) =>
  `coalesce((SELECT campaign FROM failed_messages WHERE id = ${row}.message_id), '')`;

/** SQLite: adds `delta` for every attempt of the trigger's message under `campaign`. */
const addAttemptsOfMessage = (
  /** @type {string} */ campaign,
  /** @type {number} */ delta,
) =>
  addToCounts(
    dimensionRows(
      'a',
      'FROM failed_message_attempts a WHERE a.message_id = NEW.id',
    ),
    campaign,
    delta,
  );

/** Columns whose change moves an attempt to another key. */
const KEY_COLUMNS = [
  'outcome',
  'started_at',
  '"trigger"',
  'attempt_number',
  'for_error_code',
  'message_id',
];

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  const postgres = knex.client.config.client === 'pg';
  await knex.schema.createTable(COUNTS, table => {
    table.comment(
      'Finished retry attempts per UTC day, campaign, outcome and dimension',
    );
    table.string('started_day', 10).notNullable();
    table.string('campaign', 255).notNullable();
    table.string('dimension', 16).notNullable();
    table.string('value', 32).notNullable();
    table.string('outcome', 32).notNullable();
    table.integer('shard').notNullable();
    table.bigInteger('count').notNullable();
    table.primary([
      'started_day',
      'campaign',
      'dimension',
      'value',
      'outcome',
      'shard',
    ]);
  });

  await knex.raw(
    `INSERT INTO ${COUNTS} (${KEY}, shard, count)
     SELECT ${
       postgres
         ? "to_char(d.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
         : "strftime('%Y-%m-%d', d.started_at / 1000, 'unixepoch')"
     },
            d.campaign, d.dimension, d.value, d.outcome, 0, count(*)
       FROM (${dimensionsOf('a')
         .map(
           ([dimension, value]) =>
             `SELECT a.started_at, coalesce(m.campaign, '') AS campaign,
                     '${dimension}' AS dimension, ${value} AS value, a.outcome
                FROM failed_message_attempts a
                LEFT JOIN failed_messages m ON m.id = a.message_id
               WHERE a.outcome IN ${COUNTED}`,
         )
         .join(' UNION ALL ')}) AS d
      GROUP BY 1, 2, 3, 4, 5`,
  );

  if (postgres) {
    for (const [operation, body] of Object.entries(FUNCTIONS)) {
      await knex.raw(`
        CREATE FUNCTION ${COUNTS}_${operation}() RETURNS trigger
        LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        BEGIN
          ${body};
          RETURN NULL;
        END $$`);
    }
    await knex.raw(`
      CREATE TRIGGER ${COUNTS}_inserted AFTER INSERT ON failed_message_attempts
      REFERENCING NEW TABLE AS inserted
      FOR EACH STATEMENT EXECUTE FUNCTION ${COUNTS}_inserted()`);
    await knex.raw(`
      CREATE TRIGGER ${COUNTS}_updated AFTER UPDATE ON failed_message_attempts
      REFERENCING OLD TABLE AS before_update NEW TABLE AS after_update
      FOR EACH STATEMENT EXECUTE FUNCTION ${COUNTS}_updated()`);
    await knex.raw(`
      CREATE TRIGGER ${COUNTS}_deleted AFTER DELETE ON failed_message_attempts
      REFERENCING OLD TABLE AS deleted
      FOR EACH STATEMENT EXECUTE FUNCTION ${COUNTS}_deleted()`);
    // Only a campaign filled in fires it: claims and finishes never set it.
    await knex.raw(`
      CREATE FUNCTION ${COUNTS}_campaign_changed() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        ${addMoves(`
          SELECT coalesce(OLD.campaign, '') AS campaign, a.started_at, a."trigger",
                 a.attempt_number, a.for_error_code, a.outcome, -1 AS delta
            FROM failed_message_attempts a WHERE a.message_id = NEW.id
          UNION ALL
          SELECT coalesce(NEW.campaign, ''), a.started_at, a."trigger",
                 a.attempt_number, a.for_error_code, a.outcome, 1
            FROM failed_message_attempts a WHERE a.message_id = NEW.id`)};
        RETURN NULL;
      END $$`);
    await knex.raw(`
      CREATE TRIGGER ${COUNTS}_campaign_changed
      AFTER UPDATE OF campaign ON failed_messages
      FOR EACH ROW WHEN (OLD.campaign IS DISTINCT FROM NEW.campaign)
      EXECUTE FUNCTION ${COUNTS}_campaign_changed()`);
    await knex.raw('DROP INDEX failed_message_attempts_statistics_idx');
    return;
  }

  await knex.raw(`
    CREATE TRIGGER ${COUNTS}_inserted AFTER INSERT ON failed_message_attempts
    BEGIN
      ${addRow('NEW', SQLITE_CAMPAIGN_OF('NEW'), 1)}
    END`);
  await knex.raw(`
    CREATE TRIGGER ${COUNTS}_updated
    AFTER UPDATE OF ${KEY_COLUMNS.join(', ')} ON failed_message_attempts
    WHEN ${KEY_COLUMNS.map(column => `OLD.${column} IS NOT NEW.${column}`).join(
      ' OR ',
    )}
    BEGIN
      ${addRow('OLD', SQLITE_CAMPAIGN_OF('OLD'), -1)}
      ${addRow('NEW', SQLITE_CAMPAIGN_OF('NEW'), 1)}
    END`);
  await knex.raw(`
    CREATE TRIGGER ${COUNTS}_deleted AFTER DELETE ON failed_message_attempts
    BEGIN
      ${addRow('OLD', SQLITE_CAMPAIGN_OF('OLD'), -1)}
    END`);
  await knex.raw(`
    CREATE TRIGGER ${COUNTS}_campaign_changed
    AFTER UPDATE OF campaign ON failed_messages
    WHEN OLD.campaign IS NOT NEW.campaign
    BEGIN
      ${addAttemptsOfMessage("coalesce(OLD.campaign, '')", -1)}
      ${addAttemptsOfMessage("coalesce(NEW.campaign, '')", 1)}
    END`);
  await knex.raw('DROP INDEX failed_message_attempts_statistics_idx');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  const postgres = knex.client.config.client === 'pg';
  await knex.raw(
    postgres
      ? `CREATE INDEX failed_message_attempts_statistics_idx
           ON failed_message_attempts (started_at)
           INCLUDE (outcome, trigger, attempt_number, for_error_code, message_id)`
      : `CREATE INDEX failed_message_attempts_statistics_idx
           ON failed_message_attempts
           (started_at, outcome, trigger, attempt_number, for_error_code, message_id)`,
  );
  const triggers = [
    ['inserted', 'failed_message_attempts'],
    ['updated', 'failed_message_attempts'],
    ['deleted', 'failed_message_attempts'],
    ['campaign_changed', 'failed_messages'],
  ];
  for (const [name, table] of triggers) {
    await knex.raw(
      `DROP TRIGGER IF EXISTS ${COUNTS}_${name}${
        postgres ? ` ON ${table}` : ''
      }`,
    );
    if (postgres) {
      await knex.raw(`DROP FUNCTION IF EXISTS ${COUNTS}_${name}()`);
    }
  }
  await knex.schema.dropTable(COUNTS);
};

import { Knex } from 'knex';
import {
  MessageState,
  RetryStatus,
} from '@msgops/plugin-failed-messages-common';
import {
  BulkRetryScope,
  RetryCandidateCount,
  RetryWaitRule,
} from '../../types';
import { filteredMessages } from '../../messageQueries';
import { isPostgres, MAX_ROWS_PER_STATEMENT, MESSAGES } from '../../tables';

/*
 * A bulk retry's preview, counted in the database: the messages of a scope
 * grouped by every fact a retry decision reads, so that the decision is made
 * once per group (a few hundred at most) instead of once per message, and
 * no row leaves the database. A million messages take 1-1.5 s on a shared
 * PostgreSQL, where reading them into the process took 20-30 s
 * (docs/benchmarks.md, bench:retry scenario p).
 */

/** Columns the decision reads as they are: a group's messages share them. */
const DECIDING_COLUMNS = ['error_code', 'retry_status', 'state'];

/**
 * The business number a message is resent from (or why it cannot be), and
 * so its account's pause: also deciding, where any message has one.
 */
const NUMBER_COLUMNS = ['phone_number_id', 'display_phone_number'];

interface CountRow {
  error_code: string;
  retry_status: string;
  state: string;
  phone_number_id?: string | null;
  display_phone_number?: string | null;
  resolved: boolean | number;
  has_payload: boolean | number;
  newer_delivered: boolean | number;
  wait_passed: boolean | number | null;
  count: number | string;
  sample_id: string;
}

/**
 * The per-code waits as rows of a table: the catalogue's codes come in as
 * values, so a rule changed by configuration needs no change here.
 */
function waitsTable(db: Knex, rules: RetryWaitRule[]): Knex.Raw {
  const row = `select ? as error_code,
    cast(? as double precision) as first_wait,
    cast(? as double precision) as backoff_factor,
    cast(? as integer) as steady_from,
    cast(? as double precision) as steady_wait`;
  if (!rules.length) {
    return db.raw(`${row} where 1 = 0`, ['', 0, 1, 0, 0]);
  }
  return db.raw(
    rules.map(() => row).join(' union all '),
    rules.flatMap(rule => [
      rule.errorCode,
      rule.firstWaitSeconds,
      rule.backoffFactor,
      rule.steadyFromAttempts,
      rule.steadyWaitSeconds,
    ]),
  );
}

/**
 * Whether the code's wait after the later of the failure and the last
 * attempt has passed at `?` (ErrorCodeCatalogue.waitBeforeRetrySeconds, as
 * earliestRetryMillis applies it); null for a code without a rule. Below
 * `steady_from` attempts the wait is under its cap, so the power never
 * overflows.
 */
function waitPassedColumn(db: Knex): string {
  const attempts = 'm.automatic_attempts + m.manual_attempts';
  const seconds = `case when ${attempts} >= w.steady_from then w.steady_wait
    else w.first_wait * power(w.backoff_factor, ${attempts}) end`;
  const since = 'coalesce(m.last_attempt_at, m.failed_at)';
  // SQLite holds times as milliseconds.
  return isPostgres(db)
    ? `${since} + make_interval(secs => ${seconds}) <= ?`
    : `${since} + (${seconds}) * 1000 <= ?`;
}

async function countRows(
  db: Knex,
  messages: Knex.QueryBuilder,
  options: { now: Date; waits: RetryWaitRule[]; columns: string[] },
): Promise<RetryCandidateCount[]> {
  const { columns } = options;
  const scoped = messages.select(
    'id',
    ...columns,
    'resolved_at',
    db.raw('payload is not null as has_payload'),
    'recipient',
    'template_name',
    'failed_at',
    'last_attempt_at',
    'automatic_attempts',
    'manual_attempts',
  );
  // The newer-delivery check of newerDeliveredColumn as one join: the latest
  // delivery per recipient and template, read from the partial index of
  // delivered messages, instead of one look-up per message.
  const rows: CountRow[] = await db
    .with(
      'delivered',
      db(MESSAGES)
        .select('recipient', 'template_name')
        .max({ latest: 'failed_at' })
        .whereNotNull('resolved_at')
        .whereNotNull('template_name')
        .groupBy('recipient', 'template_name'),
    )
    .with('waits', waitsTable(db, options.waits))
    .from(
      db
        .from(scoped.as('m'))
        .leftJoin('waits as w', 'w.error_code', 'm.error_code')
        .leftJoin('delivered as d', q =>
          q
            .on('d.recipient', 'm.recipient')
            .andOn('d.template_name', 'm.template_name'),
        )
        .select(
          'm.id',
          ...columns.map(column => `m.${column}`),
          db.raw('m.resolved_at is not null as resolved'),
          'm.has_payload',
          db.raw('coalesce(d.latest > m.failed_at, false) as newer_delivered'),
          db.raw(`${waitPassedColumn(db)} as wait_passed`, [options.now]),
        )
        .as('facts'),
    )
    .select(
      ...columns,
      'resolved',
      'has_payload',
      'newer_delivered',
      'wait_passed',
    )
    .count({ count: '*' })
    .min({ sample_id: 'id' })
    .groupBy(
      ...columns,
      'resolved',
      'has_payload',
      'newer_delivered',
      'wait_passed',
    );
  return rows.map(row => ({
    errorCode: row.error_code,
    retryStatus: row.retry_status as RetryStatus,
    state: row.state as MessageState,
    phoneNumberId: row.phone_number_id ?? null,
    displayPhoneNumber: row.display_phone_number ?? null,
    resolved: Boolean(row.resolved),
    hasPayload: Boolean(row.has_payload),
    newerDelivered: Boolean(row.newer_delivered),
    waitPassed: row.wait_passed === null ? null : Boolean(row.wait_passed),
    count: Number(row.count),
    sampleId: row.sample_id,
  }));
}

const groupKey = (count: RetryCandidateCount) =>
  JSON.stringify([
    count.errorCode,
    count.retryStatus,
    count.state,
    count.phoneNumberId,
    count.displayPhoneNumber,
    count.resolved,
    count.hasPayload,
    count.newerDelivered,
    count.waitPassed,
  ]);

/** See RetryCandidateReads.countRetryCandidates. */
export async function countRetryCandidates(
  db: Knex,
  scope: BulkRetryScope,
  options: { now: Date; waits: RetryWaitRule[] },
): Promise<RetryCandidateCount[]> {
  if (!isPostgres(db)) {
    return countScope(db, scope, options);
  }
  return db.transaction(async tx => {
    // Where PostgreSQL cannot estimate how many groups the facts make (a
    // few hundred), it expects about one per message and sorts a million
    // rows on disk to group them (4 s); it hashes them in 1.2-1.5 s.
    await tx.raw('set local enable_sort = off');
    return countScope(tx, scope, options);
  });
}

async function countScope(
  db: Knex,
  scope: BulkRetryScope,
  { now, waits }: { now: Date; waits: RetryWaitRule[] },
): Promise<RetryCandidateCount[]> {
  // Grouping by columns null throughout changes no group, but PostgreSQL
  // has no estimate of their distinct values and plans for a group per
  // message, without parallel workers: they are left out while no message
  // has a business number (the single-number configuration).
  const numbered = await db(MESSAGES)
    .select('id')
    .whereNotNull('phone_number_id')
    .first();
  const options = {
    now,
    waits,
    columns: numbered
      ? [...DECIDING_COLUMNS, ...NUMBER_COLUMNS]
      : DECIDING_COLUMNS,
  };
  if (!('ids' in scope)) {
    return countRows(db, filteredMessages(db, scope.filter), options);
  }
  // Listed ids, a bounded number per statement: the chunks' groups add up.
  const ids = [...new Set(scope.ids)];
  const groups = new Map<string, RetryCandidateCount>();
  for (let start = 0; start < ids.length; start += MAX_ROWS_PER_STATEMENT) {
    const chunk = ids.slice(start, start + MAX_ROWS_PER_STATEMENT);
    const counts = await countRows(
      db,
      db(MESSAGES).whereIn('id', chunk),
      options,
    );
    for (const count of counts) {
      const known = groups.get(groupKey(count));
      groups.set(
        groupKey(count),
        known
          ? {
              ...known,
              count: known.count + count.count,
              sampleId:
                known.sampleId < count.sampleId
                  ? known.sampleId
                  : count.sampleId,
            }
          : count,
      );
    }
  }
  return [...groups.values()];
}

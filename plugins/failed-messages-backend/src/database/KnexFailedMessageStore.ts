import { randomUUID } from 'node:crypto';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  AttemptOutcome,
  AttemptTrigger,
  BulkRetry,
  BulkRetryStatus,
  Category,
  FailedMessage,
  FailedMessagePage,
  FailedMessageSummary,
  RetryAttempt,
  RetryStatus,
  SortField,
} from '@internal/plugin-failed-messages-common';
import {
  AttemptClaim,
  AttemptFinish,
  AutoRetryRun,
  BULK_OUTCOME_COUNTER,
  BulkRetryScope,
  FailedMessageRecord,
  FailedMessageStore,
  StatisticsAggregates,
  MessageListQuery,
  MessageQueryFilter,
  NewFailedMessage,
  PendingBulkItem,
  BulkItemRecord,
  DueMessage,
  RetryCandidate,
  StoredReport,
  ClaimToRelease,
} from './FailedMessageStore';
import {
  adjustCounts,
  applyDimensionFilters,
  compactCounts,
  COUNTS,
  countByCategory,
  utcDayOf,
  CountKey,
  moveCount,
} from './messageCounts';
import {
  claimAttemptsStatement,
  ClaimRow,
  finishAttemptsStatement,
  FinishRow,
  recordBulkItemsStatement,
  releaseClaimsStatement,
} from './postgresRetryStatements';
import {
  ATTEMPTS,
  AUTO_RUNS,
  BULK,
  BULK_ITEMS,
  MAX_ROWS_PER_STATEMENT,
  MESSAGES,
  SEARCH,
} from './tables';
import { claimedMessage, finishedMessage } from './messageChanges';
import { WriteBatcher } from './WriteBatcher';

interface BulkRow {
  id: string;
  status: string;
  scope: string;
  reason: string | null;
  created_by: string;
  created_at: DbTime;
  finished_at: DbTime | null;
  total: number | string;
  processed: number | string;
  succeeded: number | string;
  failed: number | string;
  skipped: number | string;
}

function rowToBulkRetry(row: BulkRow): BulkRetry {
  return {
    id: row.id,
    status: row.status as BulkRetryStatus,
    total: Number(row.total),
    processed: Number(row.processed),
    succeeded: Number(row.succeeded),
    failed: Number(row.failed),
    skipped: Number(row.skipped),
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    finishedAt: toIsoOrNull(row.finished_at),
    reason: row.reason,
  };
}

const migrationsDir = resolvePackagePath(
  '@internal/plugin-failed-messages-backend',
  'migrations',
);

/** Runs the plugin's migrations unless the app configured them off. */
export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: migrationsDir });
}

interface MessageRow {
  id: string;
  channel: string;
  external_id: string | null;
  recipient: string;
  campaign: string | null;
  template_name: string | null;
  payload: string | null;
  error_code: string;
  error_title: string | null;
  error_message: string | null;
  error_details: string | null;
  category: string;
  retry_status: string;
  automatic_attempts: number | string;
  manual_attempts: number | string;
  next_automatic_retry_at: DbTime | null;
  failed_at: DbTime;
  last_attempt_at: DbTime | null;
  resolved_at: DbTime | null;
}

interface AttemptRow {
  id: string;
  message_id: string;
  attempt_number: number | string;
  trigger: string;
  actor: string | null;
  started_at: DbTime;
  finished_at: DbTime | null;
  outcome: string;
  error_code: string | null;
  error_title: string | null;
  error_message: string | null;
  error_details: string | null;
  provider_message_id: string | null;
}

/**
 * Splits items into rounds in which no key repeats, keeping their order:
 * a statement changes each row once.
 */
function distinctRounds<T>(items: T[], key: (item: T) => string): T[][] {
  const rounds: Array<{ keys: Set<string>; items: T[] }> = [];
  for (const item of items) {
    const k = key(item);
    let round = rounds.find(r => !r.keys.has(k));
    if (!round) {
      round = { keys: new Set(), items: [] };
      rounds.push(round);
    }
    round.keys.add(k);
    round.items.push(item);
  }
  return rounds.map(r => r.items);
}

/** A bulk retry over this many messages refreshes the planner's statistics. */
const LARGE_SNAPSHOT = 10_000;

/** Rolls a retention chunk back when a retry claimed one of its messages. */
class RetentionRaceError extends Error {}

/** PostgreSQL returns Date objects; SQLite stores the milliseconds Knex bound. */
type DbTime = Date | number | string;

function toIso(value: DbTime): string {
  return new Date(value).toISOString();
}

function toIsoOrNull(value: DbTime | null): string | null {
  return value === null ? null : toIso(value);
}

/** A record's time as Knex binds it, so SQLite stores milliseconds. */
function toDateOrNull(iso: string | null): Date | null {
  return iso === null ? null : new Date(iso);
}

const LIST_COLUMNS = [
  'id',
  'channel',
  'external_id',
  'recipient',
  'campaign',
  'template_name',
  'error_code',
  'error_title',
  'error_message',
  'error_details',
  'category',
  'retry_status',
  'automatic_attempts',
  'manual_attempts',
  'next_automatic_retry_at',
  'failed_at',
  'last_attempt_at',
  'resolved_at',
];

function countKeyOfRow(
  row: Pick<
    MessageRow,
    'failed_at' | 'category' | 'error_code' | 'retry_status' | 'campaign'
  >,
): CountKey {
  return {
    failedAt: row.failed_at,
    category: row.category,
    errorCode: row.error_code,
    retryStatus: row.retry_status,
    campaign: row.campaign,
  };
}

/** The dimensions a message record is counted under. */
function countKeyOf(message: FailedMessageRecord): CountKey {
  return {
    failedAt: message.failedAt,
    category: message.category,
    errorCode: message.error.code,
    retryStatus: message.retryStatus,
    campaign: message.campaign,
  };
}

const COUNT_KEY_COLUMNS = [
  'failed_at',
  'category',
  'error_code',
  'retry_status',
  'campaign',
];

function rowToMessage(row: Omit<MessageRow, 'payload'>): FailedMessage {
  return {
    id: row.id,
    channel: row.channel,
    externalId: row.external_id,
    recipient: row.recipient,
    campaign: row.campaign,
    templateName: row.template_name,
    error: {
      code: row.error_code,
      title: row.error_title,
      message: row.error_message,
      details: row.error_details,
    },
    category: row.category as Category,
    retryStatus: row.retry_status as RetryStatus,
    automaticAttempts: Number(row.automatic_attempts),
    manualAttempts: Number(row.manual_attempts),
    nextAutomaticRetryAt: toIsoOrNull(row.next_automatic_retry_at),
    failedAt: toIso(row.failed_at),
    lastAttemptAt: toIsoOrNull(row.last_attempt_at),
    resolvedAt: toIsoOrNull(row.resolved_at),
  };
}

function rowToRecord(row: MessageRow): FailedMessageRecord {
  return {
    ...rowToMessage(row),
    payload: row.payload === null ? null : JSON.parse(row.payload),
  };
}

/** A message row read with its newerDeliverySql flag. */
type CandidateRow = MessageRow & { newer_delivered: boolean | number };

function rowToCandidate(row: CandidateRow): RetryCandidate {
  return {
    message: rowToRecord(row),
    newerDelivered: Boolean(row.newer_delivered),
  };
}

function rowToAttempt(row: AttemptRow): RetryAttempt {
  return {
    id: row.id,
    attemptNumber: Number(row.attempt_number),
    trigger: row.trigger as AttemptTrigger,
    actor: row.actor,
    startedAt: toIso(row.started_at),
    finishedAt: toIsoOrNull(row.finished_at),
    outcome: row.outcome as AttemptOutcome,
    error:
      row.error_code === null
        ? null
        : {
            code: row.error_code,
            title: row.error_title,
            message: row.error_message,
            details: row.error_details,
          },
    providerMessageId: row.provider_message_id,
  };
}

const SORT_EXPRESSIONS: Record<SortField, string> = {
  failedAt: 'failed_at',
  errorCode: 'error_code',
  attempts: '(automatic_attempts + manual_attempts)',
  nextAutomaticRetryAt: 'next_automatic_retry_at',
};

/**
 * Whether a later message to the same recipient with the same template was
 * delivered, for the message row named `table` (an alias or the messages
 * table itself): a retry candidate's newerDelivered. The partial index
 * failed_messages_delivered_idx holds exactly the rows this looks for.
 */
function newerDeliverySql(table: string): string {
  return `${table}.template_name is not null and exists (
  select 1 from ${MESSAGES} n
   where n.recipient = ${table}.recipient and n.template_name = ${table}.template_name
     and n.failed_at > ${table}.failed_at and n.resolved_at is not null)`;
}

/** Escapes LIKE wildcards so a search for "50%" means the characters. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

/** The Knex (SQLite and PostgreSQL) implementation of {@link FailedMessageStore}. */
export class KnexFailedMessageStore implements FailedMessageStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<KnexFailedMessageStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await applyDatabaseMigrations(knex);
    }
    return new KnexFailedMessageStore(knex);
  }

  /**
   * On PostgreSQL, claims and finishes of concurrent retries share one
   * statement each (postgresRetryStatements).
   */
  private readonly batches?: {
    claims: WriteBatcher<ClaimRow, boolean>;
    finishes: WriteBatcher<FinishRow>;
  };

  private readonly postgres: boolean;

  constructor(private readonly db: Knex) {
    this.postgres = db.client.config.client === 'pg';
    if (this.postgres) {
      this.batches = {
        claims: new WriteBatcher(claims => claimAttemptsStatement(db, claims)),
        finishes: new WriteBatcher(async finishes => {
          for (const round of distinctRounds(finishes, f => f.messageId)) {
            await finishAttemptsStatement(db, round);
          }
        }),
      };
    }
  }

  async insertMessages(messages: NewFailedMessage[]): Promise<StoredReport[]> {
    return this.db.transaction(async tx => {
      const now = new Date();
      const keyOf = (channel: string, externalId: string) =>
        `${channel}\u0000${externalId}`;

      const existing = new Map<string, StoredReport>();
      const keyed = messages.filter(m => m.externalId !== null);
      for (const channel of new Set(keyed.map(m => m.channel))) {
        const ids = keyed
          .filter(m => m.channel === channel)
          .map(m => m.externalId as string);
        const rows: { id: string; external_id: string; category: string }[] =
          await tx(MESSAGES)
            .select('id', 'external_id', 'category')
            .where('channel', channel)
            .whereIn('external_id', ids);
        for (const row of rows) {
          existing.set(keyOf(channel, row.external_id), {
            id: row.id,
            category: row.category as Category,
            created: false,
          });
        }
      }

      const results: StoredReport[] = [];
      const rows: Record<string, unknown>[] = [];
      for (const message of messages) {
        const key =
          message.externalId === null
            ? undefined
            : keyOf(message.channel, message.externalId);
        const known = key ? existing.get(key) : undefined;
        if (known) {
          results.push(known);
          continue;
        }
        const report: StoredReport = {
          id: randomUUID(),
          category: message.category,
          created: true,
        };
        if (key) {
          // A batch may repeat an external id: later copies map to the first.
          existing.set(key, { ...report, created: false });
        }
        results.push(report);
        rows.push({
          id: report.id,
          channel: message.channel,
          external_id: message.externalId,
          recipient: message.recipient,
          campaign: message.campaign,
          template_name: message.templateName,
          payload:
            message.payload === null ? null : JSON.stringify(message.payload),
          error_code: message.error.code,
          error_title: message.error.title,
          error_message: message.error.message,
          error_details: message.error.details,
          category: message.category,
          retry_status: 'never-retried',
          next_automatic_retry_at: message.nextAutomaticRetryAt,
          failed_at: message.failedAt,
          created_at: now,
          updated_at: now,
        });
      }
      await tx
        .batchInsert(MESSAGES, rows as any[], MAX_ROWS_PER_STATEMENT)
        .transacting(tx);
      await adjustCounts(
        tx,
        rows.map(row => ({ key: countKeyOfRow(row as any), delta: 1 })),
      );
      return results;
    });
  }

  async listMessages(query: MessageListQuery): Promise<FailedMessagePage> {
    const filtered = this.filtered(query.filter);
    const direction = query.order;
    const [items, counts] = await Promise.all([
      filtered
        .clone()
        .select(LIST_COLUMNS)
        .orderByRaw(
          `${SORT_EXPRESSIONS[query.sort]} ${direction}${
            query.sort === 'nextAutomaticRetryAt' ? ' nulls last' : ''
          }, id ${direction}`,
        )
        .limit(query.limit)
        .offset(query.offset),
      this.countByCategory(query.filter),
    ]);
    let totalCount = 0;
    for (const count of counts.values()) {
      totalCount += count;
    }
    return { items: (items as MessageRow[]).map(rowToMessage), totalCount };
  }

  async summarize(filter: MessageQueryFilter): Promise<FailedMessageSummary> {
    const counts = await this.countByCategory(filter);
    const retryable = counts.get('retryable') ?? 0;
    const nonRetryable = counts.get('non-retryable') ?? 0;
    const businessLogic = counts.get('business-logic') ?? 0;
    return {
      total: retryable + nonRetryable + businessLogic,
      retryable,
      nonRetryable,
      businessLogic,
    };
  }

  async createBulkRetry(options: {
    scope: BulkRetryScope;
    createdBy: string;
    reason: string | null;
    now: Date;
  }): Promise<BulkRetry> {
    const id = randomUUID();
    const bulk = await this.db.transaction(async tx => {
      await tx(BULK).insert({
        id,
        status: 'running',
        scope: JSON.stringify(options.scope),
        reason: options.reason,
        created_by: options.createdBy,
        created_at: options.now,
      });
      const matching =
        'ids' in options.scope
          ? tx(MESSAGES).whereIn('id', options.scope.ids)
          : this.filtered(options.scope.filter, tx);
      // The snapshot is made by the database: no list of ids in memory.
      await tx
        .into(
          tx.raw('?? (??, ??, ??)', [
            BULK_ITEMS,
            'bulk_retry_id',
            'position',
            'message_id',
          ]),
        )
        .insert(
          matching.select(
            tx.raw('? as bulk_retry_id', [id]),
            tx.raw('row_number() over (order by failed_at desc, id desc)'),
            'id',
          ),
        );
      const [{ total }] = await tx(BULK_ITEMS)
        .where('bulk_retry_id', id)
        .count({ total: '*' });
      await tx(BULK)
        .where('id', id)
        .update({ total: Number(total) });
      const row = await tx<BulkRow>(BULK).where('id', id).first();
      return rowToBulkRetry(row!);
    });
    if (this.postgres && bulk.total >= LARGE_SNAPSHOT) {
      // Without fresh statistics PostgreSQL plans each page as if the run
      // had a handful of items and reads all of them (seconds per page at
      // a million); with them it reads the page by the primary key.
      await this.db.raw('ANALYZE ??', [BULK_ITEMS]);
    }
    return bulk;
  }

  async getBulkRetry(id: string): Promise<BulkRetry | undefined> {
    const row = await this.db<BulkRow>(BULK).where('id', id).first();
    return row ? rowToBulkRetry(row) : undefined;
  }

  async listPendingBulkItems(
    bulkRetryId: string,
    afterPosition: number,
    limit: number,
  ): Promise<PendingBulkItem[]> {
    const rows: Array<
      MessageRow & {
        position: number | string;
        item_message_id: string;
        newer_delivered: boolean | number;
      }
    > = await this.db
      .from(
        // The page first, then its messages: the join never sees the rest.
        this.db(BULK_ITEMS)
          .select('position', 'message_id')
          .where('bulk_retry_id', bulkRetryId)
          .where('position', '>', afterPosition)
          .whereNull('outcome')
          .orderBy('position', 'asc')
          .limit(limit)
          .as('i'),
      )
      .leftJoin(`${MESSAGES} as m`, 'm.id', 'i.message_id')
      .select(
        'i.position',
        'i.message_id as item_message_id',
        ...[...LIST_COLUMNS, 'payload'].map(column => `m.${column}`),
        this.newerDeliveredColumn('m'),
      )
      .orderBy('i.position', 'asc');
    return rows.map(row => ({
      position: Number(row.position),
      messageId: row.item_message_id,
      message: row.id === null ? undefined : rowToRecord(row),
      newerDelivered: Boolean(row.newer_delivered),
    }));
  }

  async recordBulkItems(
    bulkRetryId: string,
    items: BulkItemRecord[],
  ): Promise<void> {
    // Neither path binds parameters per item (PostgreSQL takes arrays, SQLite
    // one update each), so there is no chunking: the run's WriteBatcher
    // already hands over at most a batch.
    if (this.postgres) {
      await recordBulkItemsStatement(this.db, bulkRetryId, items);
      return;
    }
    await this.db.transaction(async tx => {
      const added = { processed: 0, succeeded: 0, failed: 0, skipped: 0 };
      for (const item of items) {
        const updated = await tx(BULK_ITEMS)
          .where({ bulk_retry_id: bulkRetryId, position: item.position })
          .whereNull('outcome')
          .update({ outcome: item.outcome, skip_reason: item.skipReason });
        if (updated === 1) {
          added.processed += 1;
          added[BULK_OUTCOME_COUNTER[item.outcome]] += 1;
        }
      }
      await tx(BULK)
        .where('id', bulkRetryId)
        .update(
          Object.fromEntries(
            Object.entries(added).map(([column, n]) => [
              column,
              tx.raw('?? + ?', [column, n]),
            ]),
          ),
        );
    });
  }

  async setBulkRetryStatus(options: {
    id: string;
    from: BulkRetryStatus[];
    to: BulkRetryStatus;
    now: Date;
  }): Promise<boolean> {
    const finished = options.to !== 'running';
    const updated = await this.db(BULK)
      .where('id', options.id)
      .whereIn('status', options.from)
      .update({
        status: options.to,
        finished_at: finished ? options.now : null,
      });
    return updated === 1;
  }

  async claimBulkRetryWork(options: {
    id: string;
    now: Date;
    staleBefore: Date;
  }): Promise<boolean> {
    const updated = await this.db(BULK)
      .where({ id: options.id, status: 'running' })
      .where(q =>
        q
          .whereNull('heartbeat_at')
          .orWhere('heartbeat_at', '<', options.staleBefore),
      )
      .update({ heartbeat_at: options.now });
    return updated === 1;
  }

  async touchBulkRetry(id: string, now: Date): Promise<boolean> {
    const updated = await this.db(BULK)
      .where({ id, status: 'running' })
      .update({ heartbeat_at: now });
    return updated === 1;
  }

  async listRunningBulkRetries(): Promise<BulkRetry[]> {
    const rows = await this.db<BulkRow>(BULK)
      .where('status', 'running')
      .orderBy('created_at', 'asc');
    return rows.map(rowToBulkRetry);
  }

  async getStatisticsAggregates(window: {
    fromDay: string;
    toDay: string;
  }): Promise<StatisticsAggregates> {
    const from = new Date(`${window.fromDay}T00:00:00.000Z`);
    const until = new Date(
      new Date(`${window.toDay}T00:00:00.000Z`).getTime() + 24 * 3600 * 1000,
    );
    const day = utcDayOf(this.db, 'a.started_at');
    const [attempts, failures, recovered] = await Promise.all([
      this.db(`${ATTEMPTS} as a`)
        .join(`${MESSAGES} as m`, 'm.id', 'a.message_id')
        .select(
          'a.trigger',
          'a.attempt_number',
          'a.outcome',
          this.db.raw(`coalesce(a.for_error_code, m.error_code) as error_code`),
          this.db.raw(`${day} as day`),
        )
        .count({ count: '*' })
        .where('a.started_at', '>=', from)
        .where('a.started_at', '<', until)
        .whereIn('a.outcome', ['succeeded', 'failed', 'outcome-unknown'])
        .groupByRaw(
          `a.trigger, a.attempt_number, a.outcome, coalesce(a.for_error_code, m.error_code), ${day}`,
        ),
      this.db(COUNTS)
        .select('failed_day', 'category', 'error_code')
        .sum({ count: 'count' })
        .where('failed_day', '>=', window.fromDay)
        .where('failed_day', '<=', window.toDay)
        .groupBy('failed_day', 'category', 'error_code'),
      this.db(MESSAGES)
        .select('failed_at', 'resolved_at')
        .where('resolved_at', '>=', from)
        .where('resolved_at', '<', until),
    ]);
    return {
      attempts: attempts.map((row: any) => ({
        trigger: row.trigger,
        errorCode: row.error_code,
        attemptNumber: Number(row.attempt_number),
        day: row.day,
        outcome: row.outcome,
        count: Number(row.count),
      })),
      failures: failures
        .map((row: any) => ({
          day: row.failed_day,
          category: row.category,
          errorCode: row.error_code,
          count: Number(row.count),
        }))
        .filter(row => row.count > 0),
      recoverySeconds: recovered.map(
        (row: Pick<MessageRow, 'failed_at' | 'resolved_at'>) =>
          (new Date(row.resolved_at!).getTime() -
            new Date(row.failed_at).getTime()) /
          1000,
      ),
    };
  }

  compactCounts(): Promise<number> {
    return compactCounts(this.db);
  }

  async deleteMessagesFailedBefore(cutoff: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      const removed = await this.db
        .transaction(async tx => {
          const rows: MessageRow[] = await tx(MESSAGES)
            .select(['id', ...COUNT_KEY_COLUMNS])
            .where('failed_at', '<', cutoff)
            .whereNot('retry_status', 'retrying')
            .limit(MAX_ROWS_PER_STATEMENT);
          if (!rows.length) {
            return 0;
          }
          const ids = rows.map(row => row.id);
          await tx(ATTEMPTS).whereIn('message_id', ids).delete();
          const gone = await tx(MESSAGES)
            .whereIn('id', ids)
            .whereNot('retry_status', 'retrying')
            .delete();
          if (gone !== rows.length) {
            // A retry claimed one meanwhile: try the chunk again next round.
            throw new RetentionRaceError();
          }
          await adjustCounts(
            tx,
            rows.map(row => ({ key: countKeyOfRow(row), delta: -1 })),
          );
          return gone;
        })
        .catch(error => {
          if (error instanceof RetentionRaceError) {
            return -1;
          }
          throw error;
        });
      if (removed === 0) {
        return deleted;
      }
      deleted += Math.max(removed, 0);
    }
  }

  private countByCategory(filter: MessageQueryFilter) {
    return countByCategory(
      this.db,
      filter,
      async part =>
        (await this.filtered(part)
          .select('category')
          .count({ count: '*' })
          .groupBy('category')) as { category: string; count: number }[],
    );
  }

  streamMessages(
    filter: MessageQueryFilter,
    chunkSize = 1000,
  ): AsyncIterable<FailedMessage> {
    return this.streamRows(filter, LIST_COLUMNS, chunkSize, rowToMessage);
  }

  streamRetryCandidates(
    filter: MessageQueryFilter,
    chunkSize = 1000,
  ): AsyncIterable<RetryCandidate> {
    return this.streamRows(
      filter,
      [...LIST_COLUMNS, 'payload', this.newerDeliveredColumn(MESSAGES)],
      chunkSize,
      rowToCandidate,
    );
  }

  private async *streamRows<T, R extends MessageRow>(
    filter: MessageQueryFilter,
    columns: Array<string | Knex.Raw>,
    chunkSize: number,
    convert: (row: R) => T,
  ): AsyncIterable<T> {
    // Keyset pagination on (failed_at, id): stable under concurrent inserts and
    // as fast on the last chunk as on the first.
    let after: { failedAt: DbTime; id: string } | undefined;
    for (;;) {
      const query = this.filtered(filter)
        .select(columns)
        .orderBy([
          { column: 'failed_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(chunkSize);
      if (after) {
        const failedAt = new Date(after.failedAt);
        const { id } = after;
        // The plain bound lets the index seek; the OR alone is only a filter.
        query
          .where('failed_at', '<=', failedAt)
          .where(q =>
            q
              .where('failed_at', '<', failedAt)
              .orWhere(q2 =>
                q2.where('failed_at', '=', failedAt).where('id', '<', id),
              ),
          );
      }
      const rows = (await query) as R[];
      for (const row of rows) {
        yield convert(row);
      }
      if (rows.length < chunkSize) {
        return;
      }
      const last = rows[rows.length - 1];
      after = { failedAt: last.failed_at, id: last.id };
    }
  }

  async getMessage(id: string): Promise<FailedMessageRecord | undefined> {
    const row = await this.db<MessageRow>(MESSAGES).where('id', id).first();
    return row ? rowToRecord(row) : undefined;
  }

  async listAttempts(messageId: string): Promise<RetryAttempt[]> {
    const rows = await this.db<AttemptRow>(ATTEMPTS)
      .where('message_id', messageId)
      .orderBy('attempt_number', 'asc');
    return rows.map(rowToAttempt);
  }

  async resolveMessage(messageId: string, at: Date): Promise<boolean> {
    return this.db.transaction(async tx => {
      const current: MessageRow | undefined = await tx(MESSAGES)
        .select(COUNT_KEY_COLUMNS)
        .where('id', messageId)
        .whereNull('resolved_at')
        .forUpdate()
        .first();
      if (current) {
        await tx(MESSAGES).where('id', messageId).update({
          resolved_at: at,
          retry_status: 'retry-succeeded',
          next_automatic_retry_at: null,
          updated_at: new Date(),
        });
        const before = countKeyOfRow(current);
        await adjustCounts(
          tx,
          moveCount(before, { ...before, retryStatus: 'retry-succeeded' }),
        );
      }
      return current !== undefined;
    });
  }

  async isEmpty(): Promise<boolean> {
    const row = await this.db(MESSAGES).first('id');
    return row === undefined;
  }

  async claimAttempts(
    claims: AttemptClaim[],
  ): Promise<Array<RetryAttempt | undefined>> {
    const prepared = claims.map(claim => {
      const { message } = claim;
      const claimed = claimedMessage(message, claim.trigger, claim.now);
      const row: AttemptRow = {
        id: randomUUID(),
        message_id: message.id,
        attempt_number: message.automaticAttempts + message.manualAttempts + 1,
        trigger: claim.trigger,
        actor: claim.actor,
        started_at: claim.now,
        finished_at: null,
        outcome: 'in-progress',
        error_code: null,
        error_title: null,
        error_message: null,
        error_details: null,
        provider_message_id: null,
      };
      const set = {
        automaticAttempts: claimed.automaticAttempts,
        manualAttempts: claimed.manualAttempts,
        leaseUntil: claim.leaseUntil,
        now: claim.now,
      };
      return { claim, row, set };
    });
    if (this.batches) {
      const won = await this.batches.claims.addAll(
        prepared.map(({ claim: { message, ...claim }, row, set }) => ({
          messageId: message.id,
          expected: {
            retryStatus: message.retryStatus,
            category: message.category,
            errorCode: message.error.code,
            automaticAttempts: message.automaticAttempts,
            manualAttempts: message.manualAttempts,
          },
          ...set,
          attempt: {
            id: row.id,
            attemptNumber: Number(row.attempt_number),
            trigger: claim.trigger,
            actor: claim.actor,
            forced: claim.forced,
            reason: claim.reason,
            bulkRetryId: claim.bulkRetryId,
          },
        })),
      );
      return prepared.map(({ row }, index) =>
        won[index] ? rowToAttempt(row) : undefined,
      );
    }
    const attempts: Array<RetryAttempt | undefined> = [];
    for (const { claim, row, set } of prepared) {
      attempts.push(await this.claimInTransaction(claim, row, set));
    }
    return attempts;
  }

  /** SQLite's claim: the conditional update, the count and the attempt. */
  private claimInTransaction(
    claim: AttemptClaim,
    row: AttemptRow,
    set: {
      automaticAttempts: number;
      manualAttempts: number;
      leaseUntil: Date;
      now: Date;
    },
  ): Promise<RetryAttempt | undefined> {
    const { message } = claim;
    return this.db.transaction(async tx => {
      const claimed = await tx(MESSAGES)
        .where({
          id: message.id,
          retry_status: message.retryStatus,
          category: message.category,
          error_code: message.error.code,
          automatic_attempts: message.automaticAttempts,
          manual_attempts: message.manualAttempts,
        })
        .whereNull('resolved_at')
        .update({
          retry_status: 'retrying',
          lease_expires_at: set.leaseUntil,
          automatic_attempts: set.automaticAttempts,
          manual_attempts: set.manualAttempts,
          last_attempt_at: set.now,
          updated_at: set.now,
        });
      if (claimed !== 1) {
        return undefined;
      }
      const before = countKeyOf(message);
      await adjustCounts(
        tx,
        moveCount(before, { ...before, retryStatus: 'retrying' }),
      );
      await tx(ATTEMPTS).insert({
        ...row,
        for_error_code: message.error.code,
        forced: claim.forced,
        reason: claim.reason,
        bulk_retry_id: claim.bulkRetryId,
      });
      return rowToAttempt(row);
    });
  }

  async finishAttempt(finish: AttemptFinish): Promise<void> {
    const { message } = finish;
    if (this.batches) {
      await this.batches.finishes.add({
        messageId: finish.messageId,
        attemptId: finish.attemptId,
        now: finish.now,
        outcome: finish.outcome,
        providerMessageId: finish.providerMessageId,
        error: finish.error,
        retryStatus: message.retryStatus,
        nextAutomaticRetryAt: message.nextAutomaticRetryAt,
        category: message.category ?? null,
        messageError: message.error ?? null,
      });
      return;
    }
    await this.db.transaction(async tx => {
      const current: MessageRow | undefined = await tx(MESSAGES)
        .where('id', finish.messageId)
        .forUpdate()
        .first();
      if (!current) {
        return;
      }
      const after = finishedMessage(rowToRecord(current), message);
      await tx(ATTEMPTS)
        .where('id', finish.attemptId)
        .update({
          outcome: finish.outcome,
          finished_at: finish.now,
          provider_message_id: finish.providerMessageId,
          error_code: finish.error?.code ?? null,
          error_title: finish.error?.title ?? null,
          error_message: finish.error?.message ?? null,
          error_details: finish.error?.details ?? null,
        });
      await tx(MESSAGES)
        .where('id', finish.messageId)
        .update({
          retry_status: after.retryStatus,
          lease_expires_at: null,
          next_automatic_retry_at: toDateOrNull(after.nextAutomaticRetryAt),
          updated_at: finish.now,
          category: after.category,
          error_code: after.error.code,
          error_title: after.error.title,
          error_message: after.error.message,
          error_details: after.error.details,
          resolved_at: toDateOrNull(after.resolvedAt),
        });
      await adjustCounts(
        tx,
        moveCount(countKeyOfRow(current), countKeyOf(after)),
      );
    });
  }

  async releaseClaims(claims: ClaimToRelease[]): Promise<void> {
    if (!claims.length) {
      return;
    }
    if (this.postgres) {
      await releaseClaimsStatement(this.db, claims);
      return;
    }
    await this.db.transaction(async tx => {
      for (const { attemptId, message, now } of claims) {
        const unsent = await tx(ATTEMPTS)
          .where({
            id: attemptId,
            message_id: message.id,
            outcome: 'in-progress',
          })
          .first('id');
        const current: MessageRow | undefined = await tx(MESSAGES)
          .select(COUNT_KEY_COLUMNS)
          .where({ id: message.id, retry_status: 'retrying' })
          .first();
        if (!unsent || !current) {
          continue;
        }
        await tx(MESSAGES)
          .where('id', message.id)
          .update({
            retry_status: message.retryStatus,
            lease_expires_at: null,
            automatic_attempts: message.automaticAttempts,
            manual_attempts: message.manualAttempts,
            last_attempt_at: toDateOrNull(message.lastAttemptAt),
            updated_at: now,
          });
        await tx(ATTEMPTS).where('id', attemptId).delete();
        const before = countKeyOfRow(current);
        await adjustCounts(
          tx,
          moveCount(before, { ...before, retryStatus: message.retryStatus }),
        );
      }
    });
  }

  async expireLeases(now: Date): Promise<number> {
    let expired = 0;
    for (;;) {
      const count = await this.db.transaction(async tx => {
        // Locked in id order like every claim and finish: a claimant that
        // records its outcome meanwhile either goes first or waits.
        const lapsed: MessageRow[] = await tx(MESSAGES)
          .select(['id', ...COUNT_KEY_COLUMNS])
          .where('retry_status', 'retrying')
          .where('lease_expires_at', '<', now)
          .orderBy('id')
          .limit(MAX_ROWS_PER_STATEMENT)
          .forUpdate();
        if (!lapsed.length) {
          return 0;
        }
        const ids = lapsed.map(row => row.id);
        await tx(MESSAGES).whereIn('id', ids).update({
          retry_status: 'outcome-unknown',
          lease_expires_at: null,
          next_automatic_retry_at: null,
          updated_at: now,
        });
        await tx(ATTEMPTS)
          .whereIn('message_id', ids)
          .where('outcome', 'in-progress')
          .update({ outcome: 'outcome-unknown', finished_at: now });
        await adjustCounts(
          tx,
          lapsed.flatMap(row => {
            const before = countKeyOfRow(row);
            return moveCount(before, {
              ...before,
              retryStatus: 'outcome-unknown',
            });
          }),
        );
        return lapsed.length;
      });
      expired += count;
      if (count < MAX_ROWS_PER_STATEMENT) {
        return expired;
      }
    }
  }

  async findAttemptsByProviderMessageIds(
    providerMessageIds: string[],
  ): Promise<Map<string, { attempt: RetryAttempt; messageId: string }>> {
    const found = new Map<
      string,
      { attempt: RetryAttempt; messageId: string }
    >();
    if (!providerMessageIds.length) {
      return found;
    }
    const rows = await this.db<AttemptRow>(ATTEMPTS).whereIn(
      'provider_message_id',
      providerMessageIds,
    );
    for (const row of rows) {
      found.set(row.provider_message_id!, {
        attempt: rowToAttempt(row),
        messageId: row.message_id,
      });
    }
    return found;
  }

  async findExistingMessageIds(ids: string[]): Promise<Set<string>> {
    if (!ids.length) {
      return new Set();
    }
    const rows: { id: string }[] = await this.db(MESSAGES)
      .select('id')
      .whereIn('id', ids);
    return new Set(rows.map(row => row.id));
  }

  async getRetryCandidates(ids: string[]): Promise<RetryCandidate[]> {
    const candidates: RetryCandidate[] = [];
    for (let start = 0; start < ids.length; start += MAX_ROWS_PER_STATEMENT) {
      const rows: CandidateRow[] = await this.db(`${MESSAGES} as m`)
        .select('m.*', this.newerDeliveredColumn('m'))
        .whereIn('m.id', ids.slice(start, start + MAX_ROWS_PER_STATEMENT));
      candidates.push(...rows.map(rowToCandidate));
    }
    return candidates;
  }

  async listDueForAutomaticRetry(options: {
    now: Date;
    maxAttempts: number;
    limit: number;
    after?: { nextAutomaticRetryAt: string; id: string };
  }): Promise<DueMessage[]> {
    const query = this.db(`${MESSAGES} as m`)
      .select('m.*', this.newerDeliveredColumn('m'))
      .where('category', 'retryable')
      .whereIn('retry_status', ['never-retried', 'retry-failed'])
      .whereNull('resolved_at')
      .whereNotNull('payload')
      .where('automatic_attempts', '<', options.maxAttempts)
      .where('next_automatic_retry_at', '<=', options.now)
      .orderBy([
        { column: 'next_automatic_retry_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(options.limit);
    if (options.after) {
      const at = new Date(options.after.nextAutomaticRetryAt);
      const id = options.after.id;
      query
        .where('next_automatic_retry_at', '>=', at)
        .where(q =>
          q
            .where('next_automatic_retry_at', '>', at)
            .orWhere(q2 =>
              q2.where('next_automatic_retry_at', '=', at).where('id', '>', id),
            ),
        );
    }
    const rows: CandidateRow[] = await query;
    return rows.map(rowToCandidate);
  }

  async startAutoRetryRun(run: {
    startedAt: Date;
    triggeredBy: string | null;
  }): Promise<AutoRetryRun> {
    const id = randomUUID();
    await this.db(AUTO_RUNS).insert({
      id,
      started_at: run.startedAt,
      triggered_by: run.triggeredBy,
    });
    return {
      id,
      startedAt: run.startedAt.toISOString(),
      finishedAt: null,
      triggeredBy: run.triggeredBy,
      attempted: 0,
      succeeded: 0,
      failed: 0,
      pausedReason: null,
    };
  }

  async finishAutoRetryRun(
    run: Pick<
      AutoRetryRun,
      'id' | 'attempted' | 'succeeded' | 'failed' | 'pausedReason'
    > & { finishedAt: Date },
  ): Promise<void> {
    await this.db(AUTO_RUNS).where('id', run.id).update({
      finished_at: run.finishedAt,
      attempted: run.attempted,
      succeeded: run.succeeded,
      failed: run.failed,
      paused_reason: run.pausedReason,
    });
  }

  async getLastAutoRetryRun(): Promise<AutoRetryRun | undefined> {
    const row = await this.db(AUTO_RUNS).orderBy('started_at', 'desc').first();
    return row
      ? {
          id: row.id,
          startedAt: toIso(row.started_at),
          finishedAt: toIsoOrNull(row.finished_at),
          triggeredBy: row.triggered_by,
          attempted: Number(row.attempted),
          succeeded: Number(row.succeeded),
          failed: Number(row.failed),
          pausedReason: row.paused_reason,
        }
      : undefined;
  }

  /** The flag of newerDeliverySql for the row named `table`, as a column. */
  private newerDeliveredColumn(table: string): Knex.Raw {
    return this.db.raw(`(${newerDeliverySql(table)}) as newer_delivered`);
  }

  private filtered(
    filter: MessageQueryFilter,
    db: Knex | Knex.Transaction = this.db,
  ): Knex.QueryBuilder {
    const query = db(MESSAGES);
    if (filter.from) {
      query.where('failed_at', '>=', filter.from);
    }
    if (filter.to) {
      query.where('failed_at', '<=', filter.to);
    }
    applyDimensionFilters(query, filter);
    if (filter.q) {
      // The search text is kept by triggers (migrations/20261202000000_search_table.js).
      query.whereIn(
        'id',
        db(SEARCH)
          .select('message_id')
          .whereRaw(`text like ? escape '\\'`, [
            likePattern(filter.q.toLocaleLowerCase('en-US')),
          ]),
      );
    }
    return query;
  }
}

import { randomUUID } from 'node:crypto';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  AttemptOutcome,
  AttemptTrigger,
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
  FailedMessageRecord,
  FailedMessageStore,
  MessageListQuery,
  MessageQueryFilter,
  NewFailedMessage,
  StoredReport,
} from './FailedMessageStore';

const MESSAGES = 'failed_messages';
const ATTEMPTS = 'failed_message_attempts';
const AUTO_RUNS = 'failed_message_auto_retry_runs';

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

/** PostgreSQL returns Date objects; SQLite stores the milliseconds Knex bound. */
type DbTime = Date | number | string;

function toIso(value: DbTime): string {
  return new Date(value).toISOString();
}

function toIsoOrNull(value: DbTime | null): string | null {
  return value === null ? null : toIso(value);
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

  constructor(private readonly db: Knex) {}

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
      // Small chunks keep every statement under SQLite's bound-variable limit.
      await tx.batchInsert(MESSAGES, rows as any[], 200).transacting(tx);
      return results;
    });
  }

  async listMessages(query: MessageListQuery): Promise<FailedMessagePage> {
    const filtered = this.filtered(query.filter);
    const direction = query.order;
    const [items, [{ count }]] = await Promise.all([
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
      filtered.clone().count({ count: '*' }),
    ]);
    return {
      items: (items as MessageRow[]).map(rowToMessage),
      totalCount: Number(count),
    };
  }

  async summarize(filter: MessageQueryFilter): Promise<FailedMessageSummary> {
    const rows: { category: string; count: number | string }[] =
      await this.filtered(filter)
        .select('category')
        .count({ count: '*' })
        .groupBy('category');
    const countOf = (category: Category) =>
      Number(rows.find(r => r.category === category)?.count ?? 0);
    const retryable = countOf('retryable');
    const nonRetryable = countOf('non-retryable');
    const businessLogic = countOf('business-logic');
    return {
      total: retryable + nonRetryable + businessLogic,
      retryable,
      nonRetryable,
      businessLogic,
    };
  }

  async *streamMessages(
    filter: MessageQueryFilter,
    chunkSize = 1000,
  ): AsyncIterable<FailedMessage> {
    // Keyset pagination on (failed_at, id): stable under concurrent inserts and
    // as fast on the last chunk as on the first.
    let after: { failedAt: DbTime; id: string } | undefined;
    for (;;) {
      const query = this.filtered(filter)
        .select(LIST_COLUMNS)
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
      const rows = (await query) as MessageRow[];
      for (const row of rows) {
        yield rowToMessage(row);
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

  async findMessageByExternalId(
    channel: string,
    externalId: string,
  ): Promise<FailedMessageRecord | undefined> {
    const row = await this.db<MessageRow>(MESSAGES)
      .where({ channel, external_id: externalId })
      .first();
    return row ? rowToRecord(row) : undefined;
  }

  async listAttempts(messageId: string): Promise<RetryAttempt[]> {
    const rows = await this.db<AttemptRow>(ATTEMPTS)
      .where('message_id', messageId)
      .orderBy('attempt_number', 'asc');
    return rows.map(rowToAttempt);
  }

  async resolveByProviderMessageId(
    providerMessageId: string,
    at: Date,
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      const attempt = await tx<AttemptRow>(ATTEMPTS)
        .where('provider_message_id', providerMessageId)
        .first();
      if (!attempt) {
        return false;
      }
      await tx(MESSAGES)
        .where('id', attempt.message_id)
        .whereNull('resolved_at')
        .update({
          resolved_at: at,
          retry_status: 'retry-succeeded',
          next_automatic_retry_at: null,
          updated_at: new Date(),
        });
      return true;
    });
  }

  async isEmpty(): Promise<boolean> {
    const row = await this.db(MESSAGES).first('id');
    return row === undefined;
  }

  async claimAttempt(claim: AttemptClaim): Promise<RetryAttempt | undefined> {
    const { message } = claim;
    const automatic = claim.trigger === 'automatic';
    return this.db.transaction(async tx => {
      const claimed = await tx(MESSAGES)
        .where({
          id: message.id,
          retry_status: message.retryStatus,
          automatic_attempts: message.automaticAttempts,
          manual_attempts: message.manualAttempts,
        })
        .whereNull('resolved_at')
        .update({
          retry_status: 'retrying',
          lease_expires_at: claim.leaseUntil,
          automatic_attempts: message.automaticAttempts + (automatic ? 1 : 0),
          manual_attempts: message.manualAttempts + (automatic ? 0 : 1),
          last_attempt_at: claim.now,
          updated_at: claim.now,
        });
      if (claimed !== 1) {
        return undefined;
      }
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
      await tx(ATTEMPTS).insert({
        ...row,
        forced: claim.forced,
        reason: claim.reason,
        bulk_retry_id: claim.bulkRetryId,
      });
      return rowToAttempt(row);
    });
  }

  async finishAttempt(finish: AttemptFinish): Promise<void> {
    const { message } = finish;
    await this.db.transaction(async tx => {
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
          retry_status: message.retryStatus,
          lease_expires_at: null,
          next_automatic_retry_at: message.nextAutomaticRetryAt,
          updated_at: finish.now,
          ...(message.category ? { category: message.category } : {}),
          ...(message.error
            ? {
                error_code: message.error.code,
                error_title: message.error.title,
                error_message: message.error.message,
                error_details: message.error.details,
                resolved_at: null,
              }
            : {}),
        });
    });
  }

  async expireLeases(now: Date): Promise<number> {
    return this.db.transaction(async tx => {
      const lapsed: { id: string }[] = await tx(MESSAGES)
        .select('id')
        .where('retry_status', 'retrying')
        .where('lease_expires_at', '<', now);
      if (!lapsed.length) {
        return 0;
      }
      const ids = lapsed.map(row => row.id);
      await tx(ATTEMPTS)
        .whereIn('message_id', ids)
        .where('outcome', 'in-progress')
        .update({ outcome: 'outcome-unknown', finished_at: now });
      const expired = await tx(MESSAGES)
        .whereIn('id', ids)
        .where('retry_status', 'retrying')
        .where('lease_expires_at', '<', now)
        .update({
          retry_status: 'outcome-unknown',
          lease_expires_at: null,
          next_automatic_retry_at: null,
          updated_at: now,
        });
      return Number(expired);
    });
  }

  async findAttemptByProviderMessageId(
    providerMessageId: string,
  ): Promise<{ attempt: RetryAttempt; messageId: string } | undefined> {
    const row = await this.db<AttemptRow>(ATTEMPTS)
      .where('provider_message_id', providerMessageId)
      .first();
    return row
      ? { attempt: rowToAttempt(row), messageId: row.message_id }
      : undefined;
  }

  async hasNewerDelivery(message: FailedMessageRecord): Promise<boolean> {
    if (message.templateName === null) {
      return false;
    }
    const row = await this.db(MESSAGES)
      .first('id')
      .where({
        recipient: message.recipient,
        template_name: message.templateName,
      })
      .where('failed_at', '>', new Date(message.failedAt))
      .whereNotNull('resolved_at');
    return row !== undefined;
  }

  async listDueForAutomaticRetry(options: {
    now: Date;
    maxAttempts: number;
    limit: number;
    after?: { nextAutomaticRetryAt: string; id: string };
  }): Promise<FailedMessageRecord[]> {
    const query = this.db<MessageRow>(MESSAGES)
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
    return (await query).map(rowToRecord);
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

  private filtered(filter: MessageQueryFilter): Knex.QueryBuilder {
    const query = this.db(MESSAGES);
    if (filter.from) {
      query.where('failed_at', '>=', filter.from);
    }
    if (filter.to) {
      query.where('failed_at', '<=', filter.to);
    }
    if (filter.category?.length) {
      query.whereIn('category', filter.category);
    }
    if (filter.errorCode?.length) {
      query.whereIn('error_code', filter.errorCode);
    }
    if (filter.retryStatus?.length) {
      query.whereIn('retry_status', filter.retryStatus);
    }
    if (filter.campaign) {
      query.where('campaign', filter.campaign);
    }
    if (filter.q) {
      const pattern = likePattern(filter.q);
      query.where(q => {
        for (const column of [
          'recipient',
          'external_id',
          'campaign',
          'template_name',
          'error_code',
          'error_title',
        ]) {
          q.orWhereRaw(`lower(${column}) like lower(?) escape '\\'`, [pattern]);
        }
      });
    }
    return query;
  }
}

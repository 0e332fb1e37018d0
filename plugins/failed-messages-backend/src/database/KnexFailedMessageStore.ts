import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  BulkRetry,
  BulkRetryStatus,
  FailedMessage,
  FailedMessagePage,
  FailedMessageSummary,
  RetryAttempt,
  StateChange,
} from '@msgops/plugin-failed-messages-common';
import { FailedMessageStore } from './FailedMessageStore';
import { KnexSendLogStore } from './KnexSendLogStore';
import {
  AttemptClaim,
  AttemptFinish,
  ClaimedAttempt,
  HeldClaim,
  AutoRetryRun,
  BulkItemRecord,
  BulkRetryScope,
  ClaimToRelease,
  DueMessage,
  FailedMessageRecord,
  MessageListQuery,
  MessageQueryFilter,
  NewFailedMessage,
  PendingBulkItem,
  ResendAttempt,
  RetryCandidate,
  RetryCandidateCount,
  RetryWaitRule,
  StatisticsAggregates,
  StoredReport,
  AttemptStatusOutcome,
  AttemptStatusReport,
  ManualSettlement,
  ManualSettlementResult,
  DismissalRequest,
  DismissalResult,
  ReopeningRequest,
  ReopeningResult,
  SendSlotRequest,
  SendSlotReservation,
  AccountPause,
} from './types';
import { compactCounts } from './messageCounts';
import { applyDatabaseMigrations } from './migrations';
import {
  findAttemptsByProviderMessageIds,
  findExistingMessageIds,
} from './operations/ingestion/findByIds';
import { insertMessages } from './operations/ingestion/insertMessages';
import { recordAttemptStatus } from './operations/attempts/recordAttemptStatus';
import { settleUnknownOutcome } from './operations/attempts/settleUnknownOutcome';
import { resolveMessage } from './operations/ingestion/resolveMessage';
import {
  getMessage,
  isEmpty,
  listAttempts,
} from './operations/reads/messageAndAttempts';
import { listMessages, summarize } from './operations/reads/listMessages';
import { listCampaigns } from './operations/reads/listCampaigns';
import { streamMessages } from './operations/reads/streamMessages';
import { getStatisticsAggregates } from './operations/statistics/getStatisticsAggregates';
import {
  getRetryCandidates,
  listDueForAutomaticRetry,
  streamRetryCandidates,
} from './operations/candidates/retryCandidates';
import { createAttemptClaimer } from './operations/claims/claimAttempts';
import { createAttemptFinisher } from './operations/claims/finishAttempt';
import { releaseClaims } from './operations/claims/releaseClaims';
import { expireLeases } from './operations/claims/expireLeases';
import { renewLeases } from './operations/claims/renewLeases';
import {
  finishAutoRetryRun,
  listAutoRetryRuns,
  startAutoRetryRun,
} from './operations/autoRetryRuns/autoRetryRuns';
import { createBulkRetry } from './operations/bulk/createBulkRetry';
import { countRetryCandidates } from './operations/bulk/countRetryCandidates';
import { listBulkRetries } from './operations/bulk/listBulkRetries';
import {
  claimBulkRetryWork,
  getBulkRetry,
  listRunningBulkRetries,
  setBulkRetryStatus,
  touchBulkRetry,
} from './operations/bulk/bulkRetryStatus';
import { listPendingBulkItems } from './operations/bulk/listPendingBulkItems';
import { recordBulkItems } from './operations/bulk/recordBulkItems';
import { deleteMessagesFailedBefore } from './operations/retention/deleteMessagesFailedBefore';
import { reserveSendSlots } from './operations/sendSlots/reserveSendSlots';
import {
  listAccountPauses,
  pauseAccount,
  resumeAccounts,
} from './operations/accountPauses/accountPauses';
import { isPostgres } from './tables';
import { dismissMessage } from './operations/states/dismissMessage';
import { reopenMessage } from './operations/states/reopenMessage';
import { listStateChanges } from './operations/states/listStateChanges';

/**
 * The Knex (SQLite and PostgreSQL) implementation of {@link FailedMessageStore}:
 * each method is one operation of `operations/<area>/`, which holds both its
 * SQLite and its PostgreSQL path where they differ.
 */
export class KnexFailedMessageStore
  extends KnexSendLogStore
  implements FailedMessageStore
{
  static async create(options: {
    database: DatabaseService;
  }): Promise<KnexFailedMessageStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await applyDatabaseMigrations(knex);
    }
    return new KnexFailedMessageStore(knex);
  }

  /** Claims and finishes keep state: on PostgreSQL they batch concurrent calls. */
  private readonly claimer = createAttemptClaimer(this.db);
  private readonly finisher = createAttemptFinisher(this.db);

  // FailedMessageReads

  listMessages(query: MessageListQuery): Promise<FailedMessagePage> {
    return listMessages(this.db, query);
  }

  summarize(filter: MessageQueryFilter): Promise<FailedMessageSummary> {
    return summarize(this.db, filter);
  }

  streamMessages(
    filter: MessageQueryFilter,
    chunkSize?: number,
  ): AsyncIterable<FailedMessage> {
    return streamMessages(this.db, filter, chunkSize);
  }

  getMessage(id: string): Promise<FailedMessageRecord | undefined> {
    return getMessage(this.db, id);
  }

  listAttempts(messageId: string): Promise<RetryAttempt[]> {
    return listAttempts(this.db, messageId);
  }

  listCampaigns(query: { text?: string; limit: number }): Promise<string[]> {
    return listCampaigns(this.db, query);
  }

  isEmpty(): Promise<boolean> {
    return isEmpty(this.db);
  }

  getStatisticsAggregates(window: {
    fromDay: string;
    toDay: string;
    campaign?: string;
  }): Promise<StatisticsAggregates> {
    return getStatisticsAggregates(this.db, window);
  }

  // FailedMessageIngestionStore

  insertMessages(messages: NewFailedMessage[]): Promise<StoredReport[]> {
    return insertMessages(this.db, messages);
  }

  resolveMessage(messageId: string, at: Date): Promise<boolean> {
    return resolveMessage(this.db, messageId, at);
  }

  findAttemptsByProviderMessageIds(
    providerMessageIds: string[],
  ): Promise<Map<string, ResendAttempt>> {
    return findAttemptsByProviderMessageIds(this.db, providerMessageIds);
  }

  findExistingMessageIds(ids: string[]): Promise<Set<string>> {
    return findExistingMessageIds(this.db, ids);
  }

  recordAttemptStatus(
    report: AttemptStatusReport,
  ): Promise<AttemptStatusOutcome> {
    return recordAttemptStatus(this.db, report);
  }

  // RetryCandidateReads

  streamRetryCandidates(
    filter: MessageQueryFilter,
    chunkSize?: number,
  ): AsyncIterable<RetryCandidate> {
    return streamRetryCandidates(this.db, filter, chunkSize);
  }

  getRetryCandidates(ids: string[]): Promise<RetryCandidate[]> {
    return getRetryCandidates(this.db, ids);
  }

  countRetryCandidates(
    scope: BulkRetryScope,
    options: { now: Date; waits: RetryWaitRule[] },
  ): Promise<RetryCandidateCount[]> {
    return countRetryCandidates(this.db, scope, options);
  }

  listDueForAutomaticRetry(options: {
    now: Date;
    maxAttempts: number;
    limit: number;
    after?: { nextAutomaticRetryAt: string; id: string };
  }): Promise<DueMessage[]> {
    return listDueForAutomaticRetry(this.db, options);
  }

  // RetryClaimStore

  claimAttempts(
    claims: AttemptClaim[],
  ): Promise<Array<ClaimedAttempt | undefined>> {
    return this.claimer(claims);
  }

  finishAttempt(finish: AttemptFinish): Promise<boolean> {
    return this.finisher(finish);
  }

  renewLeases(claims: HeldClaim[], leaseUntil: Date): Promise<number> {
    return renewLeases(this.db, claims, leaseUntil);
  }

  releaseClaims(claims: ClaimToRelease[]): Promise<void> {
    return releaseClaims(this.db, claims);
  }

  expireLeases(now: Date): Promise<number> {
    return expireLeases(this.db, now);
  }

  // SettlementStore

  settleUnknownOutcome(
    settlement: ManualSettlement,
  ): Promise<ManualSettlementResult> {
    return settleUnknownOutcome(this.db, settlement);
  }

  // MessageStateStore

  dismissMessage(request: DismissalRequest): Promise<DismissalResult> {
    return dismissMessage(this.db, request);
  }

  reopenMessage(request: ReopeningRequest): Promise<ReopeningResult> {
    return reopenMessage(this.db, request);
  }

  listStateChanges(messageId: string): Promise<StateChange[]> {
    return listStateChanges(this.db, messageId);
  }

  // AutoRetryRunStore

  startAutoRetryRun(run: {
    startedAt: Date;
    triggeredBy: string | null;
  }): Promise<AutoRetryRun> {
    return startAutoRetryRun(this.db, run);
  }

  finishAutoRetryRun(
    run: Pick<
      AutoRetryRun,
      'id' | 'attempted' | 'succeeded' | 'failed' | 'skipped' | 'pausedReason'
    > & { finishedAt: Date },
  ): Promise<void> {
    return finishAutoRetryRun(this.db, run);
  }

  listAutoRetryRuns(limit: number): Promise<AutoRetryRun[]> {
    return listAutoRetryRuns(this.db, limit);
  }

  // BulkRetryStore

  createBulkRetry(options: {
    scope: BulkRetryScope;
    createdBy: string;
    reason: string | null;
    now: Date;
  }): Promise<BulkRetry> {
    return createBulkRetry(this.db, options);
  }

  getBulkRetry(id: string): Promise<BulkRetry | undefined> {
    return getBulkRetry(this.db, id);
  }

  listPendingBulkItems(
    bulkRetryId: string,
    afterPosition: number,
    limit: number,
  ): Promise<PendingBulkItem[]> {
    return listPendingBulkItems(this.db, bulkRetryId, afterPosition, limit);
  }

  recordBulkItems(bulkRetryId: string, items: BulkItemRecord[]): Promise<void> {
    return recordBulkItems(this.db, bulkRetryId, items);
  }

  setBulkRetryStatus(options: {
    id: string;
    from: BulkRetryStatus[];
    to: BulkRetryStatus;
    now: Date;
    ownerToken?: string;
  }): Promise<boolean> {
    return setBulkRetryStatus(this.db, options);
  }

  claimBulkRetryWork(options: {
    id: string;
    ownerToken: string;
    now: Date;
    staleBefore: Date;
  }): Promise<boolean> {
    return claimBulkRetryWork(this.db, options);
  }

  touchBulkRetry(options: {
    id: string;
    ownerToken: string;
    now: Date;
  }): Promise<boolean> {
    return touchBulkRetry(this.db, options);
  }

  listRunningBulkRetries(): Promise<BulkRetry[]> {
    return listRunningBulkRetries(this.db);
  }

  listBulkRetries(options: {
    statuses?: BulkRetryStatus[];
    limit: number;
  }): Promise<BulkRetry[]> {
    return listBulkRetries(this.db, options);
  }

  // RetentionStore

  deleteMessagesFailedBefore(cutoff: Date): Promise<number> {
    return deleteMessagesFailedBefore(this.db, cutoff);
  }

  compactCounts(): Promise<number> {
    return compactCounts(this.db);
  }

  // SendSlotStore

  get sharedBetweenProcesses(): boolean {
    return isPostgres(this.db);
  }

  reserveSendSlots(request: SendSlotRequest): Promise<SendSlotReservation> {
    return reserveSendSlots(this.db, request);
  }

  // AccountPauseStore

  pauseAccount(pause: {
    account: string;
    reason: string;
    code: string;
    since: Date;
  }): Promise<void> {
    return pauseAccount(this.db, pause);
  }

  listAccountPauses(): Promise<AccountPause[]> {
    return listAccountPauses(this.db);
  }

  resumeAccounts(accounts: string[] | 'all'): Promise<string[]> {
    return resumeAccounts(this.db, accounts);
  }
}

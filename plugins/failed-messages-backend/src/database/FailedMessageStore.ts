import {
  BulkRetry,
  BulkRetryStatus,
  FailedMessage,
  FailedMessagePage,
  FailedMessageSummary,
  RetryAttempt,
  StateChange,
} from '@msgops/plugin-failed-messages-common';
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
import { SendLogStore } from './SendLogStore';

export * from './types';
export * from './SendLogStore';

/** Reading failed messages and their attempts, as the API shows them. */
export interface FailedMessageReads {
  listMessages(query: MessageListQuery): Promise<FailedMessagePage>;

  summarize(filter: MessageQueryFilter): Promise<FailedMessageSummary>;

  /** Every matching message, newest first, read in chunks so memory stays flat. */
  streamMessages(
    filter: MessageQueryFilter,
    chunkSize?: number,
  ): AsyncIterable<FailedMessage>;

  getMessage(id: string): Promise<FailedMessageRecord | undefined>;

  /** Attempts of a message, oldest first. */
  listAttempts(messageId: string): Promise<RetryAttempt[]>;

  /**
   * Known campaign names containing `text` (case-insensitive), of failed
   * messages and of logged sends: those seen in the latest UTC month first,
   * then by name.
   */
  listCampaigns(query: { text?: string; limit: number }): Promise<string[]>;

  /** Whether any message is stored at all (demo data seeds an empty store only). */
  isEmpty(): Promise<boolean>;

  /** Counts for the statistics of the UTC days from `fromDay` to `toDay` (of `campaign`). */
  getStatisticsAggregates(window: {
    fromDay: string;
    toDay: string;
    campaign?: string;
  }): Promise<StatisticsAggregates>;
}

/** Storing failure reports and applying the status webhooks of resends. */
export interface FailedMessageIngestionStore {
  /**
   * Stores reports in one transaction. A report whose channel and external id
   * are already stored returns the existing record instead of a new one. A
   * failure whose recipient already got a newer message with the same
   * template is stored resolved (newer-delivery).
   */
  insertMessages(messages: NewFailedMessage[]): Promise<StoredReport[]>;

  /**
   * Marks the message as resolved: a resend of it reached the recipient.
   * The open messages of its recipient and template that failed before it
   * are resolved too (newer-delivery): resending them would be stale.
   * Returns whether that changed anything: false when it is not stored or
   * was resolved before (Meta sends sent, delivered and read for every
   * message).
   */
  resolveMessage(messageId: string, at: Date): Promise<boolean>;

  /**
   * The attempts that got these provider message ids, with their messages,
   * keyed by provider message id; one query for a whole webhook delivery.
   */
  findAttemptsByProviderMessageIds(
    providerMessageIds: string[],
  ): Promise<Map<string, ResendAttempt>>;

  /** Which of these ids are stored messages. */
  findExistingMessageIds(ids: string[]): Promise<Set<string>>;

  /**
   * Records a status Meta reported on the attempt it belongs to: the one
   * with its provider message id or, for a send whose answer was lost, the
   * message's latest attempt without one, which it settles as accepted.
   * Keeps Meta's order (a failure is final for its id) and the first time
   * of each status for the history, and says what is left to do for the
   * message.
   */
  recordAttemptStatus(
    report: AttemptStatusReport,
  ): Promise<AttemptStatusOutcome>;
}

/** Reading messages with what a retry decision needs to know about them. */
export interface RetryCandidateReads {
  /**
   * Like streamMessages, with each message's stored payload and whether a
   * newer message was delivered, all in one query per chunk.
   */
  streamRetryCandidates(
    filter: MessageQueryFilter,
    chunkSize?: number,
  ): AsyncIterable<RetryCandidate>;

  /**
   * The stored messages among these ids, each with its newer-delivery flag:
   * one query for many ids.
   */
  getRetryCandidates(ids: string[]): Promise<RetryCandidate[]>;

  /**
   * The messages of a bulk retry's scope counted by every fact a retry
   * decision reads (error code, retry status, resolved, payload known, newer
   * delivery, and whether the code's wait in `waits` has passed at `now`),
   * in the database: one statement, however many messages match.
   */
  countRetryCandidates(
    scope: BulkRetryScope,
    options: { now: Date; waits: RetryWaitRule[] },
  ): Promise<RetryCandidateCount[]>;

  /**
   * Messages the automatic run may pick up: retryable, content known, not
   * resolved or running, automatic attempts left, wait passed. Ordered by
   * when they became due; `after` continues from the last one of a page.
   * Each comes with its newer-delivery flag: one query for a whole page.
   */
  listDueForAutomaticRetry(options: {
    now: Date;
    maxAttempts: number;
    limit: number;
    after?: { nextAutomaticRetryAt: string; id: string };
  }): Promise<DueMessage[]>;
}

/** Claiming messages for retry attempts and recording how the attempts ended. */
export interface RetryClaimStore {
  /**
   * Claims each message for one attempt with a conditional update: succeeds
   * for exactly one caller when several race, and only if the message is
   * still as the caller read it. Counts the attempt at once, so a process
   * that dies after sending still used it up. One statement for all of them
   * on PostgreSQL; one result per claim, in order (undefined where lost).
   * Each attempt comes with its claim's token.
   */
  claimAttempts(
    claims: AttemptClaim[],
  ): Promise<Array<ClaimedAttempt | undefined>>;

  /**
   * Records an attempt's outcome and releases the message's claim, if the
   * token still owns the attempt: it is its claim's, and the attempt is its
   * message's latest, still held (or accepted and awaiting its delivery
   * report). Returns false, changing nothing, when it does not: the lease
   * lapsed and the attempt is what expiry or a newer claim made it.
   */
  finishAttempt(finish: AttemptFinish): Promise<boolean>;

  /**
   * Extends the leases of claims still held, in one statement: a claimant
   * whose sends are slow or wait for the rate keeps them. Returns how many.
   */
  renewLeases(claims: HeldClaim[], leaseUntil: Date): Promise<number>;

  /**
   * Gives back claims that were never sent (their run stopped before their
   * turn): each attempt is removed and its message is again as it was read
   * for the claim, attempts and counts included. A claim whose attempt was
   * recorded or whose lease lapsed meanwhile, or whose token is not the
   * attempt's, is left as it is.
   */
  releaseClaims(claims: ClaimToRelease[]): Promise<void>;

  /**
   * Turns attempts whose claim lapsed into outcome-unknown, for a person to
   * review rather than a blind resend. Returns how many.
   */
  expireLeases(now: Date): Promise<number>;
}

/** Settling by hand what the system could not know. */
export interface SettlementStore {
  /**
   * Records a person's verdict on a message of unknown outcome on its
   * unknown attempt (who, when, why): delivered resolves the message, failed
   * leaves it for a person to retry. Changes nothing for a message whose
   * outcome is not unknown.
   */
  settleUnknownOutcome(
    settlement: ManualSettlement,
  ): Promise<ManualSettlementResult>;
}

/** Dismissing failures that need no resend, and reopening them. */
export interface MessageStateStore {
  /**
   * Closes an open message with who, when and why: it leaves the open
   * view, the automatic run and bulk retries. Refused, changing nothing,
   * for a message that is not open, or while a retry of it is running (a
   * claim in flight is never undone: its outcome is recorded first).
   */
  dismissMessage(request: DismissalRequest): Promise<DismissalResult>;

  /**
   * Brings a dismissed message back to open, its attempts, counters and
   * next automatic time as they were.
   */
  reopenMessage(request: ReopeningRequest): Promise<ReopeningResult>;

  /** Dismissals and reopenings of a message, oldest first. */
  listStateChanges(messageId: string): Promise<StateChange[]>;
}

/** The records of the daily automatic runs. */
export interface AutoRetryRunStore {
  startAutoRetryRun(run: {
    startedAt: Date;
    triggeredBy: string | null;
  }): Promise<AutoRetryRun>;

  finishAutoRetryRun(
    run: Pick<
      AutoRetryRun,
      'id' | 'attempted' | 'succeeded' | 'failed' | 'skipped' | 'pausedReason'
    > & { finishedAt: Date },
  ): Promise<void>;

  /** The last `limit` runs, the one started last first. */
  listAutoRetryRuns(limit: number): Promise<AutoRetryRun[]>;
}

/** Bulk retries: the messages fixed at creation, progress, status and workers. */
export interface BulkRetryStore {
  /**
   * Creates a running bulk retry and fixes, in the database, the messages it
   * acts on: those matching now, newest first. Messages arriving later are
   * not swept in.
   */
  createBulkRetry(options: {
    scope: BulkRetryScope;
    createdBy: string;
    reason: string | null;
    now: Date;
  }): Promise<BulkRetry>;

  getBulkRetry(id: string): Promise<BulkRetry | undefined>;

  /**
   * The bulk retry's items not processed yet, after a position, each with
   * its message as it is now: one query for a whole page.
   */
  listPendingBulkItems(
    bulkRetryId: string,
    afterPosition: number,
    limit: number,
  ): Promise<PendingBulkItem[]>;

  /**
   * Records items' outcomes and adds them to the bulk retry's counters; an
   * item recorded before is neither changed nor counted again.
   */
  recordBulkItems(bulkRetryId: string, items: BulkItemRecord[]): Promise<void>;

  /**
   * Moves a bulk retry from one of `from` to `to`; false when it was in
   * another status (e.g. already cancelled) or, with `ownerToken`, when
   * another worker has taken it over.
   */
  setBulkRetryStatus(options: {
    id: string;
    from: BulkRetryStatus[];
    to: BulkRetryStatus;
    now: Date;
    ownerToken?: string;
  }): Promise<boolean>;

  /**
   * Takes over a running bulk retry whose worker has not stamped it since
   * `staleBefore` (or just started it), writing `ownerToken` into it; false
   * when another worker holds it.
   */
  claimBulkRetryWork(options: {
    id: string;
    ownerToken: string;
    now: Date;
    staleBefore: Date;
  }): Promise<boolean>;

  /**
   * Stamps a bulk retry its worker is still on; false, changing nothing,
   * once it is no longer running (cancelled) or another worker took it over,
   * so the worker stops.
   */
  touchBulkRetry(options: {
    id: string;
    ownerToken: string;
    now: Date;
  }): Promise<boolean>;

  /** Running bulk retries, to resume after a restart. */
  listRunningBulkRetries(): Promise<BulkRetry[]>;

  /**
   * The latest bulk retries, newest first, in any of `statuses` (all when
   * not given), at most `limit`.
   */
  listBulkRetries(options: {
    statuses?: BulkRetryStatus[];
    limit: number;
  }): Promise<BulkRetry[]>;
}

/** Deleting records past their retention and keeping the counts compact. */
export interface RetentionStore {
  /**
   * Deletes messages that failed before `cutoff`, with their attempts, in
   * chunks; never one that is being retried. Returns how many.
   */
  deleteMessagesFailedBefore(cutoff: Date): Promise<number>;

  /** Keeps the per-day counts compact; see the counts migration. */
  compactCounts(): Promise<number>;
}

/**
 * Reservations of send start times per business number, shared by every
 * replica (SharedSendSlots).
 */
export interface SendSlotStore {
  /**
   * Whether several processes may share the store (PostgreSQL), so limits
   * must hold in the database rather than in a process.
   */
  readonly sharedBetweenProcesses: boolean;

  /**
   * Reserves the next `count` starts of a number, `spacingMs` apart: the
   * block begins where the number's last reserved block ended, or up to
   * `burstMs` before now after a quiet spell. Times are on the database's
   * clock, with its now.
   */
  reserveSendSlots(request: SendSlotRequest): Promise<SendSlotReservation>;
}

/** Accounts whose automatic and bulk sends are paused (AccountPauses). */
export interface AccountPauseStore {
  /** Pauses the account; a pause already standing is kept as it is. */
  pauseAccount(pause: {
    account: string;
    reason: string;
    code: string;
    since: Date;
  }): Promise<void>;

  /** The paused accounts, longest paused first. */
  listAccountPauses(): Promise<AccountPause[]>;

  /** Resumes these accounts, or all; returns those that were paused. */
  resumeAccounts(accounts: string[] | 'all'): Promise<string[]>;
}

/**
 * Persistence of failed messages and their retry attempts, by concern; one
 * Knex implementation serves them all.
 */
export interface FailedMessageStore
  extends FailedMessageReads,
    FailedMessageIngestionStore,
    RetryCandidateReads,
    RetryClaimStore,
    SettlementStore,
    MessageStateStore,
    AutoRetryRunStore,
    BulkRetryStore,
    RetentionStore,
    SendSlotStore,
    AccountPauseStore,
    SendLogStore {}

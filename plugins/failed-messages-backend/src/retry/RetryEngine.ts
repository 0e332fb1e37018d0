import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { DateTime } from 'luxon';
import {
  AttemptTrigger,
  ErrorCodeCatalogue,
  ProviderError,
  RetryAttempt,
} from '@internal/plugin-failed-messages-common';
import { MessageSender } from '@internal/plugin-failed-messages-node';
import {
  AttemptFinish,
  FailedMessageReads,
  FailedMessageRecord,
  RetryCandidate,
  RetryCandidateReads,
  RetryClaimStore,
} from '../database/FailedMessageStore';
import { claimedMessage, finishedMessage } from '../database/messageChanges';
import { FailedMessagesSignals } from '../signals/FailedMessagesSignals';
import { evaluateEligibility, RetryDecision } from './eligibility';

/** Who retries, and how. */
export interface RetryRequest {
  trigger: AttemptTrigger;
  actor: string | null;
  force?: boolean;
  reason?: string | null;
  bulkRetryId?: string | null;
}

/** A message claimed for one attempt and not sent yet. */
export interface ClaimedRetry {
  message: FailedMessageRecord;
  attempt: RetryAttempt;
}

/** The outcome of a retry decision before the send. */
export type ClaimResult =
  | { kind: 'claimed'; claim: ClaimedRetry }
  | { kind: 'skipped'; reason: string; earliestAt: string | null };

/** What the caller read with a message, so it is not read again. */
export interface KnownFacts {
  /** The store's newer-delivery flag of the message ({@link RetryCandidate}). */
  newerDelivered: boolean;
}

export interface RetryEngineOptions {
  store: FailedMessageReads & RetryCandidateReads & RetryClaimStore;
  catalogue: ErrorCodeCatalogue;
  sender: MessageSender;
  logger: LoggerService;
  maxAutomaticAttempts: number;
  /** Announces finished retries to open pages. */
  signals?: FailedMessagesSignals;
  /** How long a claim holds before an unfinished attempt counts as unknown. */
  leaseSeconds?: number;
  clock?: () => DateTime;
}

/**
 * Decides and performs retries: one eligibility check, one claim in the
 * database, one send, one record of the outcome (or, for a claim a run
 * never got to send, its release). Every path (manual, bulk,
 * automatic, scaffolder, actions) goes through here, so each decision sends
 * a message at most once, however many replicas race for it.
 */
export class RetryEngine {
  readonly maxAutomaticAttempts: number;
  private readonly leaseSeconds: number;
  private readonly clock: () => DateTime;

  constructor(private readonly options: RetryEngineOptions) {
    this.maxAutomaticAttempts = options.maxAutomaticAttempts;
    this.leaseSeconds = options.leaseSeconds ?? 300;
    this.clock = options.clock ?? (() => DateTime.utc());
  }

  /** Whether the message may be retried now, with the given request. */
  decide(
    message: FailedMessageRecord,
    request: Pick<RetryRequest, 'trigger' | 'force'>,
    known: KnownFacts,
  ): RetryDecision {
    return evaluateEligibility(
      message,
      this.options.catalogue.lookup(message.error.code),
      {
        now: this.clock(),
        force: request.force,
        automatic:
          request.trigger === 'automatic'
            ? { maxAttempts: this.maxAutomaticAttempts }
            : undefined,
        newerDelivered: known.newerDelivered,
      },
    );
  }

  /**
   * Retries one message for a person: 404 when unknown, 409 with the reason
   * when it may not be retried now or another retry got there first. Answers
   * the message as the attempt left it, and what was learnt about it on the
   * way, so that describing it needs no second look.
   */
  async retryById(
    messageId: string,
    request: RetryRequest,
  ): Promise<{
    attempt: RetryAttempt;
    message: FailedMessageRecord;
    known: KnownFacts;
  }> {
    const [candidate] = await this.options.store.getRetryCandidates([
      messageId,
    ]);
    if (!candidate) {
      throw new NotFoundError(`No failed message with id ${messageId}`);
    }
    const known = { newerDelivered: candidate.newerDelivered };
    const [claimed] = await this.claimAll(
      [{ message: candidate.message, known }],
      request,
    );
    if (claimed.kind === 'skipped') {
      throw new ConflictError(claimed.reason);
    }
    const { attempt, finish } = await this.send(claimed.claim);
    await this.record(finish);
    return {
      attempt,
      message: finishedMessage(claimedBy(claimed.claim), finish.message),
      known,
    };
  }

  /**
   * Claims a page of messages read together, as claim does each, all in one
   * go (one statement on PostgreSQL): a run claims its next page while the
   * page before is being sent.
   */
  claimPage(
    candidates: RetryCandidate[],
    request: RetryRequest,
  ): Promise<ClaimResult[]> {
    return this.claimAll(
      candidates.map(({ message, newerDelivered }) => ({
        message,
        known: { newerDelivered },
      })),
      request,
    );
  }

  private async claimAll(
    entries: Array<{ message: FailedMessageRecord; known: KnownFacts }>,
    request: RetryRequest,
  ): Promise<ClaimResult[]> {
    const decisions = entries.map(({ message, known }) =>
      this.decide(message, request, known),
    );
    const eligible = entries.filter((_, index) => decisions[index].canRetry);
    const now = this.clock();
    const attempts = await this.options.store.claimAttempts(
      eligible.map(({ message }) => ({
        message,
        trigger: request.trigger,
        actor: request.actor,
        forced: request.force ?? false,
        reason: request.reason ?? null,
        bulkRetryId: request.bulkRetryId ?? null,
        now: now.toJSDate(),
        leaseUntil: now.plus({ seconds: this.leaseSeconds }).toJSDate(),
      })),
    );
    const claimed = new Map(
      eligible.map(({ message }, index) => [message, attempts[index]]),
    );
    return entries.map(({ message }, index): ClaimResult => {
      const decision = decisions[index];
      if (!decision.canRetry) {
        return {
          kind: 'skipped',
          reason: decision.reason ?? 'Not eligible for a retry.',
          earliestAt: decision.earliestAt,
        };
      }
      const attempt = claimed.get(message);
      return attempt
        ? { kind: 'claimed', claim: { message, attempt } }
        : {
            kind: 'skipped',
            reason:
              'Another retry of this message started at the same time; this one was not sent.',
            earliestAt: null,
          };
    });
  }

  /**
   * Sends a claimed message once. Resolves with the finished attempt as soon
   * as the provider has answered; `recorded` settles once the outcome is
   * stored, so a run need not hold a send slot while the database writes.
   */
  async deliver(
    claim: ClaimedRetry,
  ): Promise<{ attempt: RetryAttempt; recorded: Promise<void> }> {
    const { finish, attempt } = await this.send(claim);
    const recorded = this.record(finish);
    // The caller awaits it; until then a failure must not count as unhandled.
    recorded.catch(() => undefined);
    return { attempt, recorded };
  }

  /** Stores an attempt's outcome and announces it. */
  private async record(finish: AttemptFinish): Promise<void> {
    await this.options.store.finishAttempt(finish);
    this.options.signals?.messagesChanged();
  }

  /**
   * Gives back claims that were never sent: their messages keep their
   * attempts. A failure is logged; the claims then lapse into
   * outcome-unknown like those of a process that died.
   */
  async release(claims: ClaimedRetry[]): Promise<void> {
    if (!claims.length) {
      return;
    }
    const now = this.clock().toJSDate();
    try {
      await this.options.store.releaseClaims(
        claims.map(({ attempt, message }) => ({
          attemptId: attempt.id,
          message,
          now,
        })),
      );
      this.options.signals?.messagesChanged();
    } catch (error) {
      this.options.logger.error(
        `Giving back ${claims.length} unsent retry claims failed; they show as outcome unknown once their lease lapses: ${error}`,
      );
    }
  }

  /**
   * Applies a later failure report for a resend that WhatsApp had accepted:
   * the message is failed again, with the new error.
   */
  async applyResendFailure(
    attempt: RetryAttempt,
    messageId: string,
    error: ProviderError,
  ): Promise<void> {
    const message = await this.options.store.getMessage(messageId);
    if (!message) {
      return;
    }
    await this.options.store.finishAttempt({
      attemptId: attempt.id,
      messageId,
      now: this.clock().toJSDate(),
      outcome: 'failed',
      error,
      providerMessageId: attempt.providerMessageId,
      message: this.afterFailure(message, error),
    });
    this.options.signals?.messagesChanged();
  }

  /** Sends once; returns the finished attempt and the record to store. */
  private async send({
    message,
    attempt,
  }: ClaimedRetry): Promise<{ attempt: RetryAttempt; finish: AttemptFinish }> {
    const { sender, logger } = this.options;
    const outcome = (
      finish: Omit<AttemptFinish, 'attemptId' | 'messageId'>,
    ): { attempt: RetryAttempt; finish: AttemptFinish } => ({
      attempt: {
        ...attempt,
        finishedAt: finish.now.toISOString(),
        outcome: finish.outcome,
        error: finish.error,
        providerMessageId: finish.providerMessageId,
      },
      finish: { attemptId: attempt.id, messageId: message.id, ...finish },
    });
    try {
      const result = await sender.send({
        messageId: message.id,
        recipient: message.recipient,
        payload: message.payload!,
      });
      const now = this.clock().toJSDate();
      if (result.outcome === 'accepted') {
        return outcome({
          now,
          outcome: 'succeeded',
          error: null,
          providerMessageId: result.providerMessageId,
          message: {
            retryStatus: 'retry-succeeded',
            nextAutomaticRetryAt: null,
          },
        });
      }
      return outcome({
        now,
        outcome: 'failed',
        error: result.error,
        providerMessageId: null,
        // Counted from the attempt as its claim stored it.
        message: this.afterFailure(
          claimedBy({ message, attempt }),
          result.error,
        ),
      });
    } catch (error) {
      // The provider may or may not have taken it: never resend blindly.
      logger.warn(
        `Outcome of retry ${attempt.id} of message ${message.id} is unknown: ${error}`,
      );
      return outcome({
        now: this.clock().toJSDate(),
        outcome: 'outcome-unknown',
        error: {
          code: 'unknown-outcome',
          title: 'Outcome unknown',
          message: String((error as Error)?.message ?? error),
          details: null,
        },
        providerMessageId: null,
        message: { retryStatus: 'outcome-unknown', nextAutomaticRetryAt: null },
      });
    }
  }

  /** Where a failed attempt leaves the message: its new error decides. */
  private afterFailure(message: FailedMessageRecord, error: ProviderError) {
    const info = this.options.catalogue.lookup(error.code);
    const exhausted = message.automaticAttempts >= this.maxAutomaticAttempts;
    const next =
      info.autoRetry && !exhausted
        ? DateTime.fromISO(message.lastAttemptAt ?? message.failedAt).plus({
            seconds: ErrorCodeCatalogue.waitBeforeRetrySeconds(
              info,
              message.automaticAttempts + message.manualAttempts,
            ),
          })
        : null;
    return {
      retryStatus: exhausted
        ? ('max-attempts-reached' as const)
        : ('retry-failed' as const),
      error: { ...error, title: error.title ?? info.title },
      category: info.category,
      nextAutomaticRetryAt: next?.toJSDate() ?? null,
    };
  }
}

/** The message as the claim of this attempt left it in the store. */
function claimedBy({ message, attempt }: ClaimedRetry): FailedMessageRecord {
  return claimedMessage(message, attempt.trigger, new Date(attempt.startedAt));
}

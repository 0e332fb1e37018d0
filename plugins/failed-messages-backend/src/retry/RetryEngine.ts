import { ConflictError, NotFoundError } from '@backstage/errors';
import { DateTime } from 'luxon';
import {
  ProviderError,
  RetryAttempt,
} from '@msgops/plugin-failed-messages-common';
import {
  AttemptFinish,
  ClaimedAttempt,
  FailedMessageRecord,
  RetryCandidate,
} from '../database/FailedMessageStore';
import { claimedMessage, finishedMessage } from '../database/messageChanges';
import { evaluateEligibility, RetryDecision } from './eligibility';
import { afterFailure } from './afterFailure';
import { HeldClaims } from './HeldClaims';
import { SendingAccounts } from './SendingAccounts';
import {
  ClaimedRetry,
  ClaimResult,
  KnownFacts,
  RetryEngineOptions,
  RetryRequest,
} from './retryRequest';

export type {
  ClaimedRetry,
  ClaimResult,
  KnownFacts,
  RetryEngineOptions,
  RetryRequest,
} from './retryRequest';

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
  /**
   * The clock's time as a Date: without luxon unless a clock is given, as
   * luxon's clock costs a microsecond on every send of a run.
   */
  private readonly now: () => Date;
  private readonly held: HeldClaims;
  /** Which number and account a message goes out from, and their pauses. */
  readonly sending: SendingAccounts;

  constructor(private readonly options: RetryEngineOptions) {
    this.sending = new SendingAccounts({
      numbers: options.numbers,
      pauses: options.pauses,
      catalogue: options.catalogue,
      logger: options.logger,
      clock: () => this.clock(),
    });
    this.maxAutomaticAttempts = options.maxAutomaticAttempts;
    this.leaseSeconds = options.leaseSeconds ?? 300;
    const { clock } = options;
    this.clock = clock ?? (() => DateTime.utc());
    this.now = clock ? () => clock().toJSDate() : () => new Date();
    this.held = new HeldClaims({
      store: options.store,
      logger: options.logger,
      leaseSeconds: this.leaseSeconds,
      leaseUntil: () => this.leaseUntil(this.clock()),
    });
  }

  private leaseUntil(from: DateTime): Date {
    return from.plus({ seconds: this.leaseSeconds }).toJSDate();
  }

  /** Whether the message may be retried now, with the given request. */
  decide(
    message: FailedMessageRecord,
    request: Pick<RetryRequest, 'trigger' | 'force'>,
    known: KnownFacts,
    now: DateTime = this.clock(),
  ): RetryDecision {
    const decision = evaluateEligibility(
      message,
      this.options.catalogue.lookup(message.error.code),
      {
        now,
        force: request.force,
        automatic:
          request.trigger === 'automatic'
            ? { maxAttempts: this.maxAutomaticAttempts }
            : undefined,
        newerDelivered: known.newerDelivered,
      },
    );
    const from = this.sending.numbers.sendingNumber(message);
    // Not even forced: there is no number to send it from. A refusal for
    // another reason (no content, say) says more and stays.
    if (
      from.kind === 'unavailable' &&
      (decision.canRetry || decision.forceable)
    ) {
      return {
        canRetry: false,
        reason: from.reason,
        earliestAt: null,
        forceable: false,
      };
    }
    return decision;
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
    if (request.actor) {
      this.options.manualQuota?.take(request.actor);
    }
    const known = { newerDelivered: candidate.newerDelivered };
    const [claimed] = await this.claimAll(
      [{ message: candidate.message, known }],
      request,
    );
    if (claimed.kind === 'skipped') {
      throw new ConflictError(claimed.reason);
    }
    const { limiter } = this.options;
    const { attempt, finish } = await (limiter
      ? limiter.schedule(this.sending.laneOf(candidate.message), () =>
          this.sendHeld(claimed.claim),
        )
      : this.sendHeld(claimed.claim));
    const finished = finishedMessage(claimedBy(claimed.claim), finish.message);
    return {
      attempt,
      // Not recorded (the claim lapsed): the message is as the store has it.
      message: (await this.record(finish))
        ? finished
        : (await this.options.store.getMessage(messageId)) ?? finished,
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
    // Automatic and bulk runs leave paused accounts alone; a person may
    // still retry one, e.g. to try a renewed token.
    const pausedReasons = await this.sending.pausedReasons(
      entries.map(({ message }) => message),
      request,
    );
    const now = this.clock();
    const decisions = entries.map(
      ({ message, known }, index): RetryDecision =>
        pausedReasons[index]
          ? {
              canRetry: false,
              reason: pausedReasons[index],
              earliestAt: null,
              forceable: false,
            }
          : this.decide(message, request, known, now),
    );
    const eligible = entries.filter((_, index) => decisions[index].canRetry);
    const startedAt = now.toJSDate();
    const leaseUntil = this.leaseUntil(now);
    const attempts = await this.options.store.claimAttempts(
      eligible.map(({ message }) => ({
        message,
        trigger: request.trigger,
        actor: request.actor,
        forced: request.force ?? false,
        reason: request.reason ?? null,
        bulkRetryId: request.bulkRetryId ?? null,
        now: startedAt,
        leaseUntil,
      })),
    );
    const claimed = new Map(
      eligible.map(({ message }, index) => [message, attempts[index]]),
    );
    const claimOf = (
      message: FailedMessageRecord,
      { claimToken, ...attempt }: ClaimedAttempt,
    ): ClaimedRetry => {
      this.held.hold({ messageId: message.id, claimToken });
      return { message, attempt, claimToken };
    };
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
        ? { kind: 'claimed', claim: claimOf(message, attempt) }
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
    const { finish, attempt } = await this.sendHeld(claim);
    const recorded = this.record(finish).then(() => undefined);
    // The caller awaits it; until then a failure must not count as unhandled.
    recorded.catch(() => undefined);
    return { attempt, recorded };
  }

  /**
   * Stores an attempt's outcome and announces it. An outcome that arrives
   * after its lease lapsed changes nothing: the attempt stays what expiry or
   * a newer claim made it, and the outcome is only logged.
   */
  private async record(finish: AttemptFinish): Promise<boolean> {
    try {
      if (!(await this.options.store.finishAttempt(finish))) {
        this.options.logger.warn(
          `Retry ${finish.attemptId} of message ${finish.messageId} ended (${finish.outcome}) after its claim lapsed; its outcome was not recorded`,
        );
        return false;
      }
    } finally {
      this.held.letGo(finish.claimToken);
    }
    this.options.signals?.messagesChanged();
    return true;
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
    const now = this.now();
    try {
      await this.options.store.releaseClaims(
        claims.map(({ attempt, claimToken, message }) => ({
          attemptId: attempt.id,
          claimToken,
          message,
          now,
        })),
      );
      this.options.signals?.messagesChanged();
    } catch (error) {
      this.options.logger.error(
        `Giving back ${claims.length} unsent retry claims failed; they show as outcome unknown once their lease lapses: ${error}`,
      );
    } finally {
      claims.forEach(claim => this.held.letGo(claim.claimToken));
    }
  }

  /**
   * Applies a later failure report for a resend that WhatsApp had accepted:
   * the message is failed again, with the new error.
   */
  async applyResendFailure(
    attempt: RetryAttempt,
    messageId: string,
    claimToken: string,
    error: ProviderError,
  ): Promise<void> {
    const message = await this.options.store.getMessage(messageId);
    if (!message) {
      return;
    }
    await this.options.store.finishAttempt({
      attemptId: attempt.id,
      claimToken,
      messageId,
      now: this.now(),
      outcome: 'failed',
      error,
      providerMessageId: attempt.providerMessageId,
      message: afterFailure(
        this.options.catalogue,
        this.maxAutomaticAttempts,
        message,
        error,
      ),
    });
    await this.sending.pauseOnAccountError(message, error);
    this.options.signals?.messagesChanged();
  }

  /**
   * Sends a held claim; a claim whose send failed before its outcome is
   * known is let go, to lapse into outcome-unknown.
   */
  private async sendHeld(claim: ClaimedRetry) {
    try {
      return await this.send(claim);
    } catch (error) {
      this.held.letGo(claim.claimToken);
      throw error;
    }
  }

  /** Sends once; returns the finished attempt and the record to store. */
  private async send({
    message,
    attempt,
    claimToken,
  }: ClaimedRetry): Promise<{ attempt: RetryAttempt; finish: AttemptFinish }> {
    const { sender, logger } = this.options;
    const outcome = (
      finish: Omit<AttemptFinish, 'attemptId' | 'messageId' | 'claimToken'>,
    ): { attempt: RetryAttempt; finish: AttemptFinish } => ({
      attempt: {
        ...attempt,
        finishedAt: finish.now.toISOString(),
        outcome: finish.outcome,
        error: finish.error,
        providerMessageId: finish.providerMessageId,
      },
      finish: {
        attemptId: attempt.id,
        claimToken,
        messageId: message.id,
        ...finish,
      },
    });
    try {
      const from = this.sending.numbers.sendingNumber(message);
      const result = await sender.send({
        messageId: message.id,
        recipient: message.recipient,
        phoneNumberId: from.kind === 'number' ? from.phoneNumberId : null,
        payload: message.payload!,
      });
      const now = this.now();
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
      await this.sending.pauseOnAccountError(message, result.error);
      return outcome({
        now,
        outcome: 'failed',
        error: result.error,
        providerMessageId: null,
        // Counted from the attempt as its claim stored it.
        message: afterFailure(
          this.options.catalogue,
          this.maxAutomaticAttempts,
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
        now: this.now(),
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
}

/** The message as the claim of this attempt left it in the store. */
function claimedBy({
  message,
  attempt,
}: Pick<ClaimedRetry, 'message' | 'attempt'>): FailedMessageRecord {
  return claimedMessage(message, attempt.trigger, new Date(attempt.startedAt));
}

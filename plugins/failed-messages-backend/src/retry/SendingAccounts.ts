import { LoggerService } from '@backstage/backend-plugin-api';
import { DateTime } from 'luxon';
import {
  ErrorCodeCatalogue,
  ProviderError,
} from '@msgops/plugin-failed-messages-common';
import {
  AccountPause,
  FailedMessageRecord,
  StoredBusinessNumber,
} from '../database/FailedMessageStore';
import { BusinessNumbers, SendLane } from '../numbers/BusinessNumbers';
import { AccountPauses } from './AccountPauses';
import { RetryRequest } from './retryRequest';

/** Where sends go that are never made: a message without a number to send from. */
const UNSENDABLE_LANE: SendLane = { key: '\u0000unsendable', ratePerSecond: 1 };

/**
 * Which business number and account each message is resent from, and
 * whether automatic and bulk sends from that account are paused: an
 * account-level error (a token, a lock, payment) pauses every number of its
 * account, while other accounts go on.
 */
export class SendingAccounts {
  readonly numbers: BusinessNumbers;

  constructor(
    private readonly options: {
      numbers: BusinessNumbers;
      pauses?: AccountPauses;
      catalogue: ErrorCodeCatalogue;
      logger: LoggerService;
      clock: () => DateTime;
    },
  ) {
    this.numbers = options.numbers;
  }

  /** The ids of the accounts messages are sent from. */
  get accountIds(): string[] {
    return this.numbers.accountIds;
  }

  /** The paused accounts, as read at most a second ago. */
  async pausedAccounts(): Promise<Map<string, AccountPause>> {
    return (await this.options.pauses?.paused()) ?? new Map();
  }

  /**
   * Why an automatic or bulk send of the message must wait now: its account
   * is paused. Null when it may go.
   */
  async pausedReason(
    message: FailedMessageRecord,
    request: Pick<RetryRequest, 'trigger'>,
  ): Promise<string | null> {
    const [reason] = await this.pausedReasons([message], request);
    return reason;
  }

  /** pausedReason of each message, the pauses read once for them all. */
  async pausedReasons(
    messages: FailedMessageRecord[],
    request: Pick<RetryRequest, 'trigger'>,
  ): Promise<Array<string | null>> {
    if (request.trigger === 'manual') {
      return messages.map(() => null);
    }
    // Fresh pauses are read without waiting: a run asks for every send.
    const paused =
      this.options.pauses?.fresh() ?? (await this.pausedAccounts());
    return messages.map(message => {
      const pause = paused.get(this.accountOf(message) ?? '');
      return pause
        ? `Retries from account ${pause.account} are paused since ${pause.since}: ${pause.reason}`
        : null;
    });
  }

  /** Where sends of the message queue (its business number's lane). */
  laneOf(message: FailedMessageRecord): SendLane {
    const from = this.numbers.sendingNumber(message);
    // A message without a number to send from is never claimed (decide).
    return from.kind === 'number' ? from.lane : UNSENDABLE_LANE;
  }

  /** The account the message is sent from, if it can be sent. */
  accountOf(message: {
    businessNumber: StoredBusinessNumber | null;
  }): string | undefined {
    const from = this.numbers.sendingNumber(message);
    return from.kind === 'number' ? from.account : undefined;
  }

  /**
   * An account-level error (a token, a lock, payment) pauses automatic and
   * bulk sends from every number of the account; other accounts go on. It
   * counts however it was reported: the answer to a send, or a webhook.
   */
  async pauseOnAccountError(
    message: { businessNumber: StoredBusinessNumber | null },
    error: ProviderError,
  ): Promise<void> {
    const info = this.options.catalogue.lookup(error.code);
    const account = this.accountOf(message);
    if (!info.accountLevel || !account || !this.options.pauses) {
      return;
    }
    try {
      await this.options.pauses.pause({
        account,
        code: info.code,
        reason: `WhatsApp reported an account problem: ${info.title} (${info.code}). ${info.action}`,
        since: this.options.clock().toJSDate(),
      });
    } catch (pauseError) {
      this.options.logger.error(
        `Pausing account ${account} after error ${info.code} failed: ${pauseError}`,
      );
    }
  }

  /** Every paused account, read now. */
  async listPauses(): Promise<AccountPause[]> {
    return (await this.options.pauses?.list()) ?? [];
  }

  /** Resumes one account or all; returns those that were paused. */
  async resume(account?: string): Promise<string[]> {
    return (await this.options.pauses?.resume(account)) ?? [];
  }
}

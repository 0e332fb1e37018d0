import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AccountPause,
  AccountPauseStore,
} from '../database/FailedMessageStore';

/** How old the paused accounts a run goes by may be (another replica's pause). */
const REFRESH_MS = 1000;

/**
 * Accounts whose automatic and bulk sends are paused: WhatsApp reported an
 * account-level error (a token, a lock, payment) for one of its numbers, so
 * resending from it only burns attempts until an admin has fixed it and
 * resumes it. Kept in the database so that every replica pauses; a replica
 * reads them again at most a second after another one paused.
 */
export class AccountPauses {
  private cached: { at: number; paused: Map<string, AccountPause> } | undefined;
  private reading: Promise<Map<string, AccountPause>> | undefined;

  constructor(
    private readonly options: {
      store: AccountPauseStore;
      logger: LoggerService;
    },
  ) {}

  /** The paused accounts as read less than a second ago, if they were. */
  fresh(): Map<string, AccountPause> | undefined {
    return this.cached && performance.now() - this.cached.at < REFRESH_MS
      ? this.cached.paused
      : undefined;
  }

  /** The paused accounts, as read at most a second ago. */
  async paused(): Promise<Map<string, AccountPause>> {
    const fresh = this.fresh();
    if (fresh) {
      return fresh;
    }
    if (!this.reading) {
      this.reading = this.read().finally(() => {
        this.reading = undefined;
      });
    }
    return this.reading;
  }

  /** Every paused account, read now. */
  async list(): Promise<AccountPause[]> {
    return [...(await this.read()).values()];
  }

  /** Pauses the account; this replica stops sending from it at once. */
  async pause(pause: Omit<AccountPause, 'since'> & { since: Date }) {
    await this.options.store.pauseAccount(pause);
    const paused = await this.read();
    this.options.logger.warn(
      `Automatic and bulk retries from account ${pause.account} are paused: ${pause.reason}`,
    );
    return paused.get(pause.account);
  }

  /** Resumes one account or all; returns those that were paused. */
  async resume(account?: string): Promise<string[]> {
    const resumed = await this.options.store.resumeAccounts(
      account ? [account] : 'all',
    );
    await this.read();
    if (resumed.length) {
      this.options.logger.info(
        `Automatic and bulk retries resumed for account(s) ${resumed.join(
          ', ',
        )}`,
      );
    }
    return resumed;
  }

  private async read(): Promise<Map<string, AccountPause>> {
    const paused = new Map(
      (await this.options.store.listAccountPauses()).map(pause => [
        pause.account,
        pause,
      ]),
    );
    this.cached = { at: performance.now(), paused };
    return paused;
  }
}

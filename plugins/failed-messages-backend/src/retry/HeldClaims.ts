import { LoggerService } from '@backstage/backend-plugin-api';
import { HeldClaim, RetryClaimStore } from '../database/FailedMessageStore';

/**
 * The retry claims a process holds, from their claim to their finish or
 * release, by token. Their leases are renewed together, one statement a
 * third of the lease apart, so a slow provider or a low rate (claims wait
 * their turn in the limiter) does not let a claim lapse while its send may
 * still go out. A claim let go is no longer renewed and lapses as before.
 */
export class HeldClaims {
  private readonly held = new Map<string, HeldClaim>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly options: {
      store: Pick<RetryClaimStore, 'renewLeases'>;
      logger: LoggerService;
      leaseSeconds: number;
      /** When a lease renewed now ends. */
      leaseUntil: () => Date;
    },
  ) {}

  hold(claim: HeldClaim) {
    this.held.set(claim.claimToken, claim);
    if (!this.timer) {
      this.timer = setInterval(
        () => this.renew(),
        (this.options.leaseSeconds * 1000) / 3,
      );
      // Claims held do not keep a process that is done from exiting.
      this.timer.unref?.();
    }
  }

  letGo(claimToken: string) {
    this.held.delete(claimToken);
    if (!this.held.size && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** A failure is logged; the next tick tries again before the lease ends. */
  private async renew() {
    const claims = [...this.held.values()];
    try {
      await this.options.store.renewLeases(claims, this.options.leaseUntil());
    } catch (error) {
      this.options.logger.warn(
        `Renewing the leases of ${claims.length} retries in flight failed: ${error}`,
      );
    }
  }
}

import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { FailedMessagesRoles } from '@msgops/plugin-failed-messages-node';

/**
 * A complete permission policy for a portal that has none of its own: the
 * failed-messages permissions by the roles in `failedMessages.roles`
 * ({@link @msgops/plugin-failed-messages-node#FailedMessagesRoles}), every
 * other permission allowed, as Backstage's allow-all policy does.
 *
 * @public
 */
export class FailedMessagesRolePolicy implements PermissionPolicy {
  static fromConfig(config: Config): FailedMessagesRolePolicy {
    return new FailedMessagesRolePolicy(FailedMessagesRoles.fromConfig(config));
  }

  private constructor(private readonly roles: FailedMessagesRoles) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    return (
      this.roles.decide(request, user) ?? { result: AuthorizeResult.ALLOW }
    );
  }
}

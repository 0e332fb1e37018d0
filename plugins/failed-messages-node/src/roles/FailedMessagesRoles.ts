import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  failedMessagesBulkRetryPermission,
  failedMessagesForceRetryPermission,
  failedMessagesReadPermission,
  failedMessagesRetryPermission,
  failedMessagesStatisticsReadPermission,
} from '@msgops/plugin-failed-messages-common';

/**
 * The roles of the failed-messages plugins, as configured under
 * `failedMessages.roles`.
 *
 * @public
 */
export type FailedMessagesRole = 'admin' | 'manager' | 'agent';

const ROLES_CONFIG_KEY = 'failedMessages.roles';

/** The contract's role table: what each role may do. */
const ROLE_PERMISSIONS: Record<FailedMessagesRole, Permission[]> = {
  admin: [
    failedMessagesReadPermission,
    failedMessagesRetryPermission,
    failedMessagesForceRetryPermission,
    failedMessagesBulkRetryPermission,
    failedMessagesStatisticsReadPermission,
  ],
  manager: [
    failedMessagesReadPermission,
    failedMessagesStatisticsReadPermission,
  ],
  agent: [failedMessagesReadPermission, failedMessagesRetryPermission],
};

const ROLES = Object.keys(ROLE_PERMISSIONS) as FailedMessagesRole[];

// Every permission of the plugin has this prefix; one missing from the role
// table is denied rather than falling through to the rest of the policy.
const PERMISSION_NAME_PREFIX = 'failed-messages.';

const entityRefValidator = makeValidator();

// Entity refs are case-insensitive; stringifyEntityRef lower-cases too.
function normalizeRef(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

function parseConfiguredRef(ref: string, key: string): string {
  let parsed;
  try {
    parsed = parseEntityRef(ref, {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new Error(
      `Invalid entity ref "${ref}" in config ${key}: ${
        (error as Error).message
      }`,
    );
  }
  // parseEntityRef accepts any characters, so a typo such as "alice, bob"
  // would otherwise silently match nobody. Namespaces are validated as the
  // lower-case form they are compared in.
  if (
    !entityRefValidator.isValidKind(parsed.kind) ||
    !entityRefValidator.isValidNamespace(normalizeRef(parsed.namespace)) ||
    !entityRefValidator.isValidEntityName(parsed.name)
  ) {
    throw new Error(
      `Invalid entity ref "${ref}" in config ${key}: expected [<kind>:][<namespace>/]<name> with valid entity names`,
    );
  }
  return normalizeRef(stringifyEntityRef(parsed));
}

/**
 * The failed-messages role decision: who may use each failed-messages
 * permission, by the roles in `failedMessages.roles` (lists of users and
 * groups). A permission policy delegates these permissions to it and
 * decides the rest as it always has:
 *
 * ```ts
 * const roles = FailedMessagesRoles.fromConfig(config);
 * // in the policy's handle(request, user):
 * return roles.decide(request, user) ?? decideTheRest(request, user);
 * ```
 *
 * @public
 */
export class FailedMessagesRoles {
  /** For each failed-messages permission: the refs of every user and group allowed to use it. */
  private readonly allowedRefsByPermission: ReadonlyMap<
    string,
    ReadonlySet<string>
  >;

  /**
   * Reads `failedMessages.roles`; throws, naming the key, on an unknown role
   * or an entity ref that cannot match anybody.
   */
  static fromConfig(config: Config): FailedMessagesRoles {
    const roleMembers = new Map<FailedMessagesRole, string[]>();
    const rolesConfig = config.getOptionalConfig(ROLES_CONFIG_KEY);
    if (!rolesConfig) {
      return new FailedMessagesRoles(roleMembers);
    }
    for (const role of rolesConfig.keys()) {
      const key = `${ROLES_CONFIG_KEY}.${role}`;
      if (!ROLES.includes(role as FailedMessagesRole)) {
        throw new Error(
          `Unknown role in config ${key}; expected one of ${ROLES.join(', ')}`,
        );
      }
      const refs = rolesConfig.getOptionalStringArray(role) ?? [];
      roleMembers.set(
        role as FailedMessagesRole,
        refs.map((ref, index) => parseConfiguredRef(ref, `${key}[${index}]`)),
      );
    }
    return new FailedMessagesRoles(roleMembers);
  }

  private constructor(roleMembers: Map<FailedMessagesRole, string[]>) {
    const allowed = new Map<string, Set<string>>();
    for (const role of ROLES) {
      for (const permission of ROLE_PERMISSIONS[role]) {
        const refs = allowed.get(permission.name) ?? new Set<string>();
        roleMembers.get(role)?.forEach(ref => refs.add(ref));
        allowed.set(permission.name, refs);
      }
    }
    this.allowedRefsByPermission = allowed;
  }

  /** Whether the permission is one of the failed-messages plugins'. */
  handles(permission: Permission): boolean {
    return permission.name.startsWith(PERMISSION_NAME_PREFIX);
  }

  /**
   * The decision on a failed-messages permission: allowed when the user or
   * one of the user's groups holds a role that has it. Undefined for any
   * other permission, which stays the caller's to decide. A failed-messages
   * permission missing from the role table is denied.
   */
  decide(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): PolicyDecision | undefined {
    if (!this.handles(request.permission)) {
      return undefined;
    }
    const allowedRefs = this.allowedRefsByPermission.get(
      request.permission.name,
    );
    if (!allowedRefs || !user) {
      return { result: AuthorizeResult.DENY };
    }
    // `info` is deprecated, but it is the only place a policy gets the
    // user's ownership refs (its groups) from.
    const { userEntityRef, ownershipEntityRefs } = user.info;
    const isAllowed = [userEntityRef, ...ownershipEntityRefs].some(ref =>
      allowedRefs.has(normalizeRef(ref)),
    );
    return {
      result: isAllowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
    };
  }
}

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
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  failedMessagesBulkRetryPermission,
  failedMessagesForceRetryPermission,
  failedMessagesReadPermission,
  failedMessagesRetryPermission,
  failedMessagesStatisticsReadPermission,
} from '@internal/plugin-failed-messages-common';

/** The roles of the failed-messages plugins, as configured under `failedMessages.roles`. */
export type FailedMessagesRole = 'admin' | 'manager' | 'agent';

const ROLES_CONFIG_KEY = 'failedMessages.roles';

/** The contract's role table. */
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
// table is denied rather than falling through to the portal's allow-all.
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
 * Grants the failed-messages permissions by role, where a role is a list of
 * users and groups from `failedMessages.roles`, and allows every other
 * permission, as the template's allow-all policy did.
 */
export class FailedMessagesRolePolicy implements PermissionPolicy {
  /** For each failed-messages permission: the refs of every user and group allowed to use it. */
  private readonly allowedRefsByPermission: ReadonlyMap<
    string,
    ReadonlySet<string>
  >;

  static fromConfig(config: Config): FailedMessagesRolePolicy {
    const roleMembers = new Map<FailedMessagesRole, string[]>();
    const rolesConfig = config.getOptionalConfig(ROLES_CONFIG_KEY);
    if (!rolesConfig) {
      return new FailedMessagesRolePolicy(roleMembers);
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
    return new FailedMessagesRolePolicy(roleMembers);
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

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { name } = request.permission;
    if (!name.startsWith(PERMISSION_NAME_PREFIX)) {
      return { result: AuthorizeResult.ALLOW };
    }
    const allowedRefs = this.allowedRefsByPermission.get(name);
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

import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  failedMessagesBulkRetryPermission,
  failedMessagesForceRetryPermission,
  failedMessagesReadPermission,
  failedMessagesRetryPermission,
  failedMessagesStatisticsReadPermission,
} from '@msgops/plugin-failed-messages-common';
import { FailedMessagesRoles } from './FailedMessagesRoles';

const { ALLOW, DENY } = AuthorizeResult;

const catalogEntityReadPermission = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
});

// Full refs, short refs and mixed case, as operators may write them.
const config = new ConfigReader({
  failedMessages: {
    roles: {
      admin: ['user:default/ada-admin', 'group:default/messaging-admins'],
      manager: ['max-manager', 'group:messaging-managers'],
      agent: ['User:Default/Alex-Agent', 'group:default/messaging-agents'],
    },
  },
});

function user(name: string, groups: string[] = []): PolicyQueryUser {
  const userEntityRef = `user:default/${name}`;
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: {
      userEntityRef,
      ownershipEntityRefs: [
        userEntityRef,
        ...groups.map(group => `group:default/${group}`),
      ],
    },
  };
}

function decide(
  roles: FailedMessagesRoles,
  permission: Permission,
  policyUser?: PolicyQueryUser,
) {
  return roles.decide({ permission }, policyUser)?.result;
}

describe('FailedMessagesRoles', () => {
  const policy = FailedMessagesRoles.fromConfig(config);

  // [read, retry, force-retry, bulk-retry, statistics]
  const adminGrants = [ALLOW, ALLOW, ALLOW, ALLOW, ALLOW];
  const managerGrants = [ALLOW, DENY, DENY, DENY, ALLOW];
  const agentGrants = [ALLOW, ALLOW, DENY, DENY, DENY];
  const noGrants = [DENY, DENY, DENY, DENY, DENY];

  const users: Array<[string, PolicyQueryUser, AuthorizeResult[]]> = [
    ['admin by user ref', user('ada-admin'), adminGrants],
    ['admin by group', user('ann', ['messaging-admins']), adminGrants],
    ['manager by user ref', user('max-manager'), managerGrants],
    ['manager by group', user('mia', ['messaging-managers']), managerGrants],
    ['agent by user ref', user('alex-agent'), agentGrants],
    ['agent by group', user('amy', ['messaging-agents']), agentGrants],
    [
      'manager and agent (union)',
      user('max-manager', ['messaging-agents']),
      [ALLOW, ALLOW, DENY, DENY, ALLOW],
    ],
    ['no role', user('nora-norole', ['guests']), noGrants],
    [
      'a user ref given in upper case',
      {
        ...user('x'),
        info: {
          userEntityRef: 'user:default/ADA-ADMIN',
          ownershipEntityRefs: ['user:default/ADA-ADMIN'],
        },
      },
      adminGrants,
    ],
  ];

  const permissions = [
    failedMessagesReadPermission,
    failedMessagesRetryPermission,
    failedMessagesForceRetryPermission,
    failedMessagesBulkRetryPermission,
    failedMessagesStatisticsReadPermission,
  ];

  const matrix = users.flatMap(([who, policyUser, grants]) =>
    permissions.map((permission, index) => ({
      who,
      policyUser,
      permission,
      name: permission.name,
      expected: grants[index],
    })),
  );

  it.each(matrix)(
    '$who: $name is $expected',
    async ({ policyUser, permission, expected }) => {
      expect(decide(policy, permission, policyUser)).toBe(expected);
    },
  );

  it.each(users)(
    "leaves other plugins' permissions to the caller's policy, for %s",
    async (_who, policyUser) => {
      expect(
        decide(policy, catalogEntityReadPermission, policyUser),
      ).toBeUndefined();
    },
  );

  it('denies the failed-messages permissions when there is no user', async () => {
    for (const permission of permissions) {
      expect(decide(policy, permission)).toBe(DENY);
    }
    expect(decide(policy, catalogEntityReadPermission)).toBeUndefined();
  });

  it('denies a failed-messages permission missing from the role table, even to admins', async () => {
    const unknown = createPermission({
      name: 'failed-messages.message.delete',
      attributes: { action: 'delete' },
    });
    expect(decide(policy, unknown, user('ada-admin'))).toBe(DENY);
  });

  it('denies the failed-messages permissions to everyone when no roles are configured', async () => {
    const empty = FailedMessagesRoles.fromConfig(new ConfigReader({}));
    for (const permission of permissions) {
      expect(decide(empty, permission, user('ada-admin'))).toBe(DENY);
    }
    expect(
      decide(empty, catalogEntityReadPermission, user('ada-admin')),
    ).toBeUndefined();
  });

  describe('config validation', () => {
    const fromRoles = (roles: unknown) =>
      FailedMessagesRoles.fromConfig(
        new ConfigReader({ failedMessages: { roles } } as any),
      );

    it('accepts missing and empty role lists', () => {
      expect(() => fromRoles({ admin: [] })).not.toThrow();
    });

    it('rejects an unknown role, naming the key', () => {
      expect(() => fromRoles({ admin: [], owner: ['alice'] })).toThrow(
        'Unknown role in config failedMessages.roles.owner; expected one of admin, manager, agent',
      );
    });

    it('rejects a ref that cannot be parsed, naming the key', () => {
      expect(() =>
        fromRoles({ agent: ['alice', 'group:default/x', 'group:/agents'] }),
      ).toThrow(
        /^Invalid entity ref "group:\/agents" in config failedMessages\.roles\.agent\[2\]: /,
      );
    });

    it('rejects a ref with an invalid name, naming the key', () => {
      expect(() => fromRoles({ manager: ['alice, bob'] })).toThrow(
        /in config failedMessages\.roles\.manager\[0\]/,
      );
    });

    it('rejects a role that is not a list of strings, naming the key', () => {
      expect(() => fromRoles({ admin: 'alice' })).toThrow(
        /failedMessages\.roles\.admin/,
      );
      expect(() => fromRoles({ admin: ['alice', 3] })).toThrow(
        /failedMessages\.roles\.admin\[1\]/,
      );
    });
  });
});

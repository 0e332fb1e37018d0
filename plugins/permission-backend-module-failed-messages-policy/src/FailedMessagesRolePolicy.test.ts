import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  failedMessagesBulkRetryPermission,
  failedMessagesRetryPermission,
} from '@msgops/plugin-failed-messages-common';
import { FailedMessagesRolePolicy } from './FailedMessagesRolePolicy';

const agent: PolicyQueryUser = {
  credentials: mockCredentials.user('user:default/alex-agent'),
  info: {
    userEntityRef: 'user:default/alex-agent',
    ownershipEntityRefs: [
      'user:default/alex-agent',
      'group:default/messaging-agents',
    ],
  },
};

describe('FailedMessagesRolePolicy', () => {
  const policy = FailedMessagesRolePolicy.fromConfig(
    new ConfigReader({
      failedMessages: { roles: { agent: ['group:default/messaging-agents'] } },
    }),
  );
  const decide = async (permission: typeof failedMessagesRetryPermission) =>
    (await policy.handle({ permission }, agent)).result;

  it('decides the failed-messages permissions by role', async () => {
    expect(await decide(failedMessagesRetryPermission)).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(await decide(failedMessagesBulkRetryPermission)).toBe(
      AuthorizeResult.DENY,
    );
  });

  it('allows every other permission, as an allow-all policy does', async () => {
    expect(
      await decide(
        createPermission({
          name: 'catalog.entity.read',
          attributes: { action: 'read' },
        }),
      ),
    ).toBe(AuthorizeResult.ALLOW);
  });
});

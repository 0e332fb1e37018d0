import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import failedMessagesPlugin from '@msgops/plugin-failed-messages-backend';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import request from 'supertest';
import failedMessagesRolePolicy from '@msgops/plugin-permission-backend-module-failed-messages-policy';

/**
 * End to end: an MCP client talks to the running backend's MCP endpoint,
 * which serves the failed-messages actions through the real actions
 * registry, permission backend and role policy.
 */
const ROLES = {
  admin: ['user:default/ada-admin'],
  manager: ['user:default/max-manager'],
  agent: ['user:default/alex-agent'],
};

const report = (code: number, recipient: string) => ({
  recipient,
  payload: { messaging_product: 'whatsapp', to: recipient },
  error: { code },
  failedAt: '2026-01-01T00:00:00Z',
});

describe('failed-messages over MCP', () => {
  let server: any;
  let port: number;
  const clients: Client[] = [];

  /** An MCP client connected as the caller behind `authorization`. */
  const connect = async (authorization: string) => {
    const client = new Client({ name: 'mcp-actions-test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(
      new URL(`http://localhost:${port}/api/mcp-actions/v1`),
      { requestInit: { headers: { Authorization: authorization } } },
    );
    await client.connect(transport);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        failedMessagesPlugin,
        mcpActionsPlugin,
        permissionPlugin,
        failedMessagesRolePolicy,
        permissionsServiceFactory,
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            backend: { actions: { pluginSources: ['failed-messages'] } },
            failedMessages: { roles: ROLES, sender: 'sandbox' },
          },
        }),
      ],
    });
    server = backend.server;
    port = server.port();

    // Two retryable (rate limit) and one non-retryable (undeliverable).
    for (const [code, recipient] of [
      [130429, '+16505551001'],
      [130429, '+16505551002'],
      [131026, '+16505551003'],
    ] as const) {
      const created = await request(server)
        .post('/api/failed-messages/messages')
        .set('Authorization', mockCredentials.service.header())
        .send(report(code, recipient));
      if (created.status !== 201) {
        throw new Error(`Reporting a message answered ${created.status}`);
      }
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map(client => client.close()));
  });

  const listTools = async (user: string) => {
    const client = await connect(mockCredentials.user.header(user));
    const { tools } = await client.listTools();
    return tools;
  };

  it('lists every failed-messages tool to an admin', async () => {
    const tools = await listTools('user:default/ada-admin');
    expect(tools.map(tool => tool.name)).toEqual(
      expect.arrayContaining([
        'failed-messages.list-failed-messages',
        'failed-messages.get-failed-message',
        'failed-messages.get-failed-messages-summary',
        'failed-messages.get-retry-statistics',
        'failed-messages.retry-failed-message',
        'failed-messages.start-bulk-retry',
      ]),
    );
    const summary = tools.find(
      tool => tool.name === 'failed-messages.get-failed-messages-summary',
    );
    expect(summary?.annotations?.readOnlyHint).toBe(true);
  });

  it("lists to an agent only the tools an agent's role allows", async () => {
    const names = (await listTools('user:default/alex-agent'))
      .map(tool => tool.name)
      .filter(name => name.startsWith('failed-messages.'))
      .sort();
    expect(names).toEqual([
      'failed-messages.get-failed-message',
      'failed-messages.get-failed-messages-summary',
      'failed-messages.list-failed-messages',
      'failed-messages.retry-failed-message',
    ]);
  });

  it('calls the summary tool as a user with a role', async () => {
    const client = await connect(
      mockCredentials.user.header('user:default/alex-agent'),
    );
    const result = await client.callTool({
      name: 'failed-messages.get-failed-messages-summary',
      arguments: {},
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({
      total: 3,
      retryable: 2,
      nonRetryable: 1,
      businessLogic: 0,
    });
  });

  it('hides the tools from a user without a role', async () => {
    expect(
      (await listTools('user:default/nora-norole')).filter(tool =>
        tool.name.startsWith('failed-messages.'),
      ),
    ).toEqual([]);
    const client = await connect(
      mockCredentials.user.header('user:default/nora-norole'),
    );
    const result = await client.callTool({
      name: 'failed-messages.get-failed-messages-summary',
      arguments: {},
    });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('not found');
  });
});

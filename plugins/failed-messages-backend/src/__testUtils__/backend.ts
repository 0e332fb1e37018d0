import {
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  BackendFeature,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import knexFactory, { Knex } from 'knex';
import { failedMessagesPlugin } from '../plugin';
import { recordDatabaseRun } from './databases';
import {
  FakeAnswer,
  FakeWhatsApp,
  FakeWhatsAppRequest,
  startFakeWhatsApp,
} from './fakeWhatsApp';

export const WEBHOOK_APP_SECRET = 'test-app-secret';
export const WEBHOOK_VERIFY_TOKEN = 'test-verify-token';
export const ACCESS_TOKEN = 'test-access-token';

/** Config for the WhatsApp sender pointed at a local stand-in for Meta. */
export function whatsAppConfig(baseUrl: string): JsonObject {
  return {
    failedMessages: {
      sender: 'whatsapp',
      whatsapp: {
        baseUrl,
        apiVersion: 'v23.0',
        phoneNumberId: '1234567890',
        accessToken: ACCESS_TOKEN,
        appSecret: WEBHOOK_APP_SECRET,
        verifyToken: WEBHOOK_VERIFY_TOKEN,
        // Generous: a loaded CI machine must not turn a slow answer into a failure.
        timeoutMs: 30_000,
      },
    },
  };
}

/** Config for the simulated sender, with webhooks configured. */
function sandboxConfig(): JsonObject {
  return {
    failedMessages: {
      sender: 'sandbox',
      whatsapp: {
        appSecret: WEBHOOK_APP_SECRET,
        verifyToken: WEBHOOK_VERIFY_TOKEN,
      },
    },
  };
}

/**
 * The plugin's own in-memory SQLite, closed when the backend stops. The
 * default database service never closes its connection pool, whose timer
 * then keeps the Jest worker from exiting.
 */
const inMemoryDatabase = createServiceFactory({
  service: coreServices.database,
  deps: { lifecycle: coreServices.lifecycle },
  factory({ lifecycle }) {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    lifecycle.addShutdownHook(() => knex.destroy());
    return { getClient: async () => knex };
  },
});

export interface FailedMessagesBackendOptions {
  config?: JsonObject;
  permissionResult?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  /** Permissions (by name) denied while every other one is allowed. */
  deniedPermissions?: string[];
  features?: BackendFeature[];
  database?: Knex;
}

/** Allows every permission but the denied ones. */
function permissionsDenying(denied: string[]) {
  return mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(request => ({
        result: denied.includes(request.permission.name)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      })) as any,
  }).factory;
}

/**
 * The plugin on a test backend: on `database` (one from
 * `TestDatabases.init`, which the plugin migrates), else on an in-memory
 * SQLite of its own. Stopping the backend (the test utilities do so after
 * the file) closes that one.
 */
export async function startFailedMessagesBackend(
  options: FailedMessagesBackendOptions = {},
) {
  return startTestBackend({
    features: [
      ...(options.features ?? []),
      failedMessagesPlugin,
      options.database
        ? mockServices.database.factory({ knex: options.database })
        : inMemoryDatabase,
      mockServices.rootConfig.factory({
        data: options.config ?? sandboxConfig(),
      }),
      options.deniedPermissions
        ? permissionsDenying(options.deniedPermissions)
        : mockServices.permissions.factory({
            result: options.permissionResult ?? AuthorizeResult.ALLOW,
          }),
      // Tasks run only when a test triggers them.
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
    ],
  });
}

/**
 * The plugin on a test backend over a fresh `databaseId` database, noted
 * for the test script's check that no expected database was skipped.
 */
export async function startFailedMessagesBackendOn(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  options: Omit<FailedMessagesBackendOptions, 'database'> = {},
) {
  const database = await databases.init(databaseId);
  recordDatabaseRun(databaseId);
  return startFailedMessagesBackend({ ...options, database });
}

export interface BackendSuiteOptions {
  /** A fresh database of this kind for the suite; else an in-memory SQLite. */
  database?: { databases: TestDatabases; id: TestDatabaseId };
  /**
   * Starts a local stand-in for Meta that answers each send so, and points
   * the WhatsApp sender at it; without it, the plugin uses the sandbox.
   */
  meta?: (request: FakeWhatsAppRequest) => FakeAnswer;
  /** Settings added under `failedMessages`, e.g. `retry` or `roles`. */
  settings?: JsonObject;
  /** `whatsapp.accounts`, in place of the single test number. */
  accounts?: JsonObject[];
  features?: BackendFeature[];
  /** Permissions (by name) denied while every other one is allowed. */
  deniedPermissions?: string[];
}

/** What a suite's tests reach, once its beforeAll has run. */
export interface BackendSuite {
  backend: TestBackend;
  /** The backend's HTTP server, for supertest. */
  server: TestBackend['server'];
  /** The stand-in for Meta; only with the `meta` option. */
  meta: FakeWhatsApp;
}

/**
 * Starts the plugin on a test backend before the suite's tests and stops it
 * (and the stand-in for Meta) after them. Call it in a describe block.
 */
export function useFailedMessagesBackend(
  options: BackendSuiteOptions = {},
): BackendSuite {
  const suite = {} as BackendSuite;
  beforeAll(async () => {
    let config = sandboxConfig();
    if (options.meta) {
      suite.meta = await startFakeWhatsApp(options.meta);
      config = whatsAppConfig(suite.meta.baseUrl);
    }
    config.failedMessages = {
      ...(config.failedMessages as JsonObject),
      ...options.settings,
    };
    if (options.accounts) {
      const { phoneNumberId, accessToken, ...whatsapp } = (
        config.failedMessages as { whatsapp: JsonObject }
      ).whatsapp;
      config.failedMessages.whatsapp = {
        ...whatsapp,
        accounts: options.accounts,
      };
    }
    const backendOptions = {
      config,
      features: options.features,
      deniedPermissions: options.deniedPermissions,
    };
    suite.backend = options.database
      ? await startFailedMessagesBackendOn(
          options.database.databases,
          options.database.id,
          backendOptions,
        )
      : await startFailedMessagesBackend(backendOptions);
    suite.server = suite.backend.server;
  });
  // The backend first: its runs may still be sending to the stand-in.
  afterAll(async () => {
    await suite.backend?.stop();
    await suite.meta?.close();
  });
  return suite;
}

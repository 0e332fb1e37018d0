import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { BackendFeature } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { failedMessagesPlugin } from '../plugin';
import { recordDatabaseRun } from './databases';

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

export interface FailedMessagesBackendOptions {
  config?: JsonObject;
  permissionResult?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  features?: BackendFeature[];
  database?: Knex;
}

/**
 * The plugin on a test backend: on `database` (one from
 * `TestDatabases.init`, which the plugin migrates), else on an in-memory
 * SQLite of its own.
 */
export async function startFailedMessagesBackend(
  options: FailedMessagesBackendOptions = {},
) {
  return startTestBackend({
    features: [
      ...(options.features ?? []),
      failedMessagesPlugin,
      ...(options.database
        ? [mockServices.database.factory({ knex: options.database })]
        : []),
      mockServices.rootConfig.factory({
        data: options.config ?? {
          failedMessages: {
            sender: 'sandbox',
            whatsapp: {
              appSecret: WEBHOOK_APP_SECRET,
              verifyToken: WEBHOOK_VERIFY_TOKEN,
            },
          },
        },
      }),
      mockServices.permissions.factory({
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

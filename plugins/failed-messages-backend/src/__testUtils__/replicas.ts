import {
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import knexFactory, { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { failedMessagesPlugin } from '../plugin';
import { recordDatabaseRun } from './databases';

/**
 * Two backend replicas of the plugin on one fresh database, each with the
 * given config, every permission allowed and no scheduled task run at
 * start-up. On PostgreSQL each has its own connection pool; SQLite in memory
 * cannot be shared across pools, so there both use the one connection.
 * Answers their HTTP servers and a function that closes the second pool.
 */
export async function startReplicas(
  databases: TestDatabases,
  id: TestDatabaseId,
  config: JsonObject,
): Promise<{ servers: TestBackend['server'][]; close: () => Promise<void> }> {
  const first = await databases.init(id);
  recordDatabaseRun(id);
  await applyDatabaseMigrations(first);
  const second: Knex = id.startsWith('POSTGRES')
    ? knexFactory({ ...first.client.config, pool: { min: 1, max: 5 } })
    : first;
  const servers = await Promise.all(
    [first, second].map(
      async knex =>
        (
          await startTestBackend({
            features: [
              failedMessagesPlugin,
              mockServices.rootConfig.factory({ data: config }),
              mockServices.database.factory({
                knex,
                migrations: { skip: true },
              }),
              mockServices.permissions.factory({
                result: AuthorizeResult.ALLOW,
              }),
              mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
            ],
          })
        ).server,
    ),
  );
  return {
    servers,
    close: async () => {
      if (second !== first) {
        await second.destroy();
      }
    },
  };
}

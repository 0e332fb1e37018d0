import { appendFileSync } from 'node:fs';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { KnexFailedMessageStore } from '../database/KnexFailedMessageStore';
import { applyDatabaseMigrations } from '../database/migrations';

/** The databases every store query is tested on. */
export const DATABASE_IDS: TestDatabaseId[] = ['SQLITE_3', 'POSTGRES_15'];

export function createTestDatabases() {
  return TestDatabases.create({ ids: DATABASE_IDS });
}

/**
 * Notes the database a suite ran on, so the test script can fail when a
 * database it expects was silently skipped.
 */
export function recordDatabaseRun(id: TestDatabaseId) {
  const log = process.env.FAILED_MESSAGES_DATABASE_LOG;
  if (log) {
    appendFileSync(log, `${id}\n`);
  }
}

/** A migrated store on one of the test databases. */
export async function initTestStore(databases: TestDatabases, id: string) {
  const knex = await databases.init(id as TestDatabaseId);
  recordDatabaseRun(id as TestDatabaseId);
  await applyDatabaseMigrations(knex);
  return { knex, store: new KnexFailedMessageStore(knex) };
}

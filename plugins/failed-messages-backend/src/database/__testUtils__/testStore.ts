import { Knex } from 'knex';
import {
  createTestDatabases,
  initTestStore,
} from '../../__testUtils__/databases';
import { KnexFailedMessageStore } from '../KnexFailedMessageStore';
import { MessageListQuery } from '../types';
import { ATTEMPT_COUNTS } from '../attemptCounts';
import { COUNTS, MONTH_COUNTS } from '../messageCounts';
import {
  ATTEMPTS,
  AUTO_RUNS,
  BULK,
  BULK_ITEMS,
  MESSAGES,
  STATE_CHANGES,
  SEND_SLOTS,
  ACCOUNT_PAUSES,
  SENDS,
  DELIVERY_COUNTS,
} from '../tables';

/** Removes everything the store wrote, between tests. */
async function emptyStore(knex: Knex) {
  for (const table of [
    STATE_CHANGES,
    ATTEMPTS,
    MESSAGES,
    COUNTS,
    MONTH_COUNTS,
    ATTEMPT_COUNTS,
    BULK_ITEMS,
    BULK,
    AUTO_RUNS,
    SEND_SLOTS,
    ACCOUNT_PAUSES,
    SENDS,
    DELIVERY_COUNTS,
  ]) {
    await knex(table).delete();
  }
}

/** The first page of every message, newest first, with these changes. */
export const listQuery = (
  overrides: Partial<MessageListQuery> = {},
): MessageListQuery => ({
  filter: {},
  sort: 'failedAt',
  order: 'desc',
  limit: 50,
  offset: 0,
  ...overrides,
});

/** The store a suite of describeStore runs on, and its Knex client. */
interface TestStore {
  knex: Knex;
  store: KnexFailedMessageStore;
}

/**
 * Declares `tests` on each test database, SQLite and PostgreSQL, against a
 * migrated store emptied before each test. The fields of the TestStore that
 * `tests` gets are set once the suite starts.
 */
export function describeStore(name: string, tests: (db: TestStore) => void) {
  jest.setTimeout(60_000);
  const databases = createTestDatabases();
  describe.each(databases.eachSupportedId())(`${name} on %s`, id => {
    const db = {} as TestStore;
    beforeAll(async () => {
      Object.assign(db, await initTestStore(databases, id));
    });
    beforeEach(() => emptyStore(db.knex));
    tests(db);
  });
}

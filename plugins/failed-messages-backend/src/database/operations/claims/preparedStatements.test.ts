import { TestDatabaseId } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { newMessage } from '../../../__testUtils__/messages';
import {
  createTestDatabases,
  initTestStore,
} from '../../../__testUtils__/databases';
import { finishAccepted } from '../../__testUtils__/claims';
import { KnexFailedMessageStore } from '../../KnexFailedMessageStore';

jest.setTimeout(60_000);
const databases = createTestDatabases();

/**
 * The claim and finish statements are prepared once per connection
 * (postgresStatements.preparedRaw); PostgreSQL plans them generically after
 * five runs. Both must decide as the statement parsed anew would.
 */
describe.each(
  databases
    .eachSupportedId()
    .filter(([id]) => String(id).startsWith('POSTGRES')),
)('prepared retry statements on %s', id => {
  let knex: Knex;

  beforeAll(async () => {
    const { knex: shared } = await initTestStore(
      databases,
      id as TestDatabaseId,
    );
    // One connection, so that every round runs the statements it prepared.
    knex = knexFactory({ ...shared.client.config, pool: { min: 1, max: 1 } });
  });
  afterAll(() => knex?.destroy());

  it('claim once and record outcomes, round after round on one connection', async () => {
    const store = new KnexFailedMessageStore(knex);
    const now = new Date('2026-11-25T10:00:00Z');
    for (let round = 0; round < 8; round++) {
      const reports = await store.insertMessages([newMessage(), newMessage()]);
      const ids = reports.map(r => r.id);
      const claims = await Promise.all(
        ids.map(async messageId => ({
          message: (await store.getMessage(messageId))!,
          trigger: 'manual' as const,
          actor: 'user:default/alex-agent',
          forced: false,
          reason: null,
          bulkRetryId: null,
          now,
          leaseUntil: new Date(now.getTime() + 60_000),
        })),
      );
      const [first, second] = await store.claimAttempts(claims);
      // The same claims again, of the messages as read before: stale, they lose.
      expect(await store.claimAttempts(claims)).toEqual([undefined, undefined]);
      expect(
        await finishAccepted(store, ids[0], first!, now, `wamid.${round}.0`),
      ).toBe(true);
      expect(
        await finishAccepted(store, ids[1], second!, now, `wamid.${round}.1`),
      ).toBe(true);
      for (const messageId of ids) {
        expect(await store.getMessage(messageId)).toMatchObject({
          retryStatus: 'retry-succeeded',
          manualAttempts: 1,
        });
      }
    }
    expect(
      await store.summarize({ retryStatus: ['retry-succeeded'] }),
    ).toMatchObject({ total: 16 });
    expect(await store.summarize({ retryStatus: ['retrying'] })).toMatchObject({
      total: 0,
    });

    const prepared = await knex('pg_prepared_statements')
      .select('name', knex.raw('generic_plans + custom_plans AS runs'))
      .where('name', 'like', 'failed_messages_%');
    expect(prepared).toEqual(
      expect.arrayContaining([
        { name: expect.stringMatching(/^failed_messages_claim_/), runs: '16' },
        { name: expect.stringMatching(/^failed_messages_finish_/), runs: '16' },
      ]),
    );
  });
});

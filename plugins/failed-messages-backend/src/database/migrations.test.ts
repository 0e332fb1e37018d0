import { resolve } from 'node:path';
import { Knex } from 'knex';
import { createTestDatabases, initTestStore } from '../__testUtils__/databases';
import { newMessage } from '../__testUtils__/messages';
import { listQuery } from './__testUtils__/testStore';
import { claimMessages, finishAccepted } from './__testUtils__/claims';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const directory = resolve(__dirname, '../../migrations');
/**
 * Its triggers tie failed_messages and their attempts together, and SQLite
 * cannot rebuild a table a trigger names, as knex does to drop a column: it
 * steps aside while an older migration is taken down and up.
 */
const ATTEMPT_COUNTS = '20261203120000_attempt_counts.js';

async function migrateDown(knex: Knex, name: string) {
  await knex.migrate.down({ directory, name: ATTEMPT_COUNTS });
  if (name !== ATTEMPT_COUNTS) {
    await knex.migrate.down({ directory, name });
  }
}

async function migrateUp(knex: Knex, name: string) {
  if (name !== ATTEMPT_COUNTS) {
    await knex.migrate.up({ directory, name });
  }
  await knex.migrate.up({ directory, name: ATTEMPT_COUNTS });
}

describe.each(databases.eachSupportedId())('migrations on %s', id => {
  it('migrate up and all the way down again', async () => {
    const { knex } = await initTestStore(databases, id);
    expect(await knex.schema.hasTable('failed_messages')).toBe(true);
    expect(await knex.schema.hasTable('failed_message_attempts')).toBe(true);

    await knex.migrate.rollback({ directory }, true);
    expect(await knex.schema.hasTable('failed_messages')).toBe(false);
    expect(await knex.schema.hasTable('failed_message_attempts')).toBe(false);
  });

  it('fills the search table from the stored messages when migrating up', async () => {
    const { knex, store } = await initTestStore(databases, id);
    const name = '20261202000000_search_table.js';
    const [before] = await store.insertMessages([
      newMessage({ recipient: '+447700900111' }),
    ]);
    await migrateDown(knex, name);
    expect(await knex.schema.hasTable('failed_message_search')).toBe(false);
    // Stored while the search table is gone, so only the migration fills it.
    const [during] = await store.insertMessages([
      newMessage({ recipient: '+447700900222', campaign: 'Winter-Sale' }),
    ]);
    await migrateUp(knex, name);

    const found = async (q: string) =>
      (await store.listMessages(listQuery({ filter: { q } }))).items.map(
        message => message.id,
      );
    expect(await found('900111')).toEqual([before.id]);
    expect(await found('winter-sale')).toEqual([during.id]);
    expect((await found('+4477009')).sort()).toEqual(
      [before.id, during.id].sort(),
    );
  });

  it('fills the monthly counts from the daily ones when migrating up', async () => {
    const { knex, store } = await initTestStore(databases, id);
    await store.insertMessages(
      ['2026-09-30T23:30:00Z', '2026-10-01T00:30:00Z', '2026-10-31T12:00:00Z']
        .flatMap(failedAt => [failedAt, failedAt])
        .map((failedAt, i) =>
          newMessage({
            failedAt: new Date(failedAt),
            campaign: i % 2 ? 'spring-promo' : null,
          }),
        ),
    );
    const monthly = () =>
      knex('failed_message_month_counts')
        .select('failed_month', 'campaign')
        .sum({ count: 'count' })
        .groupBy('failed_month', 'campaign')
        .orderBy(['failed_month', 'campaign'])
        .then(rows => rows.map(row => ({ ...row, count: Number(row.count) })));
    const expected = [
      { failed_month: '2026-09', campaign: '', count: 1 },
      { failed_month: '2026-09', campaign: 'spring-promo', count: 1 },
      { failed_month: '2026-10', campaign: '', count: 2 },
      { failed_month: '2026-10', campaign: 'spring-promo', count: 2 },
    ];
    expect(await monthly()).toEqual(expected);

    const name = '20261127050000_month_counts.js';
    await migrateDown(knex, name);
    expect(await knex.schema.hasTable('failed_message_month_counts')).toBe(
      false,
    );
    await migrateUp(knex, name);
    expect(await monthly()).toEqual(expected);
    expect(await store.summarize({})).toMatchObject({ total: 6 });
  });

  it("fills each stored attempt's status times from its latest status when migrating up", async () => {
    const { knex, store } = await initTestStore(databases, id);
    const now = new Date('2026-11-25T10:00:00Z');
    const [{ id: messageId }] = await store.insertMessages([newMessage()]);
    const [attempt] = await claimMessages(store, [messageId], now);
    await finishAccepted(store, messageId, attempt!, now, 'wamid.stored');
    for (const [status, at] of [
      ['delivered', '2026-11-25T10:01:00Z'],
      ['read', '2026-11-25T10:05:00Z'],
    ] as const) {
      await store.recordAttemptStatus({
        providerMessageId: 'wamid.stored',
        messageId: null,
        status,
        at: new Date(at),
        error: null,
        now: new Date(at),
      });
    }

    const name = '20261203090000_attempt_status_times.js';
    await migrateDown(knex, name);
    await migrateUp(knex, name);

    // Before the migration only the latest status was kept.
    const [stored] = await store.listAttempts(messageId);
    expect(stored.statuses).toEqual([
      { status: 'read', at: '2026-11-25T10:05:00.000Z' },
    ]);
    expect(stored.delivery).toEqual(stored.statuses[0]);
  });

  it('names the error each attempt stored without one retried, from its message, when migrating up', async () => {
    const { knex, store } = await initTestStore(databases, id);
    const now = new Date('2026-11-25T10:00:00Z');
    const [{ id: messageId }] = await store.insertMessages([newMessage()]);
    await claimMessages(store, [messageId], now);
    // As attempts stored before for_error_code existed.
    await knex('failed_message_attempts').update({ for_error_code: null });

    const name = '20261203110000_statistics_indexes.js';
    await migrateDown(knex, name);
    await migrateUp(knex, name);

    expect(
      await knex('failed_message_attempts').select('for_error_code'),
    ).toEqual([{ for_error_code: '130429' }]);
  });

  it('gives each message resolved before it the cause delivered, when migrating up', async () => {
    const { knex, store } = await initTestStore(databases, id);
    const deliveredAt = new Date('2026-11-25T10:00:00Z');
    const [older, newer] = await store.insertMessages([
      newMessage({ failedAt: new Date('2026-11-20T10:00:00Z') }),
      newMessage({ failedAt: new Date('2026-11-21T10:00:00Z') }),
    ]);
    await store.resolveMessage(newer.id, deliveredAt);

    const name = '20261203100000_resolutions.js';
    await migrateDown(knex, name);
    await migrateUp(knex, name);

    expect(await store.getMessage(newer.id)).toMatchObject({
      state: 'resolved',
      resolution: {
        cause: 'delivered',
        at: deliveredAt.toISOString(),
        newerMessageId: null,
      },
    });
    // Going down forgets which newer message resolved the older one.
    expect(await store.getMessage(older.id)).toMatchObject({
      state: 'resolved',
      resolution: { cause: 'newer-delivery', newerMessageId: null },
    });
    expect(await store.listStateChanges(older.id)).toEqual([]);
  });

  it('counts the attempts stored before it when migrating up', async () => {
    const { knex, store } = await initTestStore(databases, id);
    const now = new Date('2026-11-25T10:00:00Z');
    const messages = await store.insertMessages([
      newMessage({ campaign: 'spring-promo' }),
      newMessage({ campaign: null }),
    ]);
    const [attempt] = await claimMessages(
      store,
      messages.map(message => message.id),
      now,
    );
    await finishAccepted(store, messages[0].id, attempt!, now, 'wamid.counted');
    const window = { fromDay: '2026-11-25', toDay: '2026-11-25' };
    const before = await store.getStatisticsAggregates(window);

    await migrateDown(knex, ATTEMPT_COUNTS);
    expect(await knex.schema.hasTable('failed_message_attempt_counts')).toBe(
      false,
    );
    await migrateUp(knex, ATTEMPT_COUNTS);

    // The attempt still in progress is not counted.
    expect(before.attempts.byTrigger).toEqual([
      { trigger: 'manual', outcome: 'succeeded', count: 1 },
    ]);
    expect(await store.getStatisticsAggregates(window)).toEqual(before);
    expect(
      (
        await store.getStatisticsAggregates({
          ...window,
          campaign: 'spring-promo',
        })
      ).attempts.byAttemptNumber,
    ).toEqual([{ attemptNumber: 1, outcome: 'succeeded', count: 1 }]);
  });
});

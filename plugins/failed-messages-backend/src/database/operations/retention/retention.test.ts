import { newMessage } from '../../../__testUtils__/messages';
import { describeStore } from '../../__testUtils__/testStore';

describeStore('retention', db => {
  it('deletes messages past retention with their attempts, never one being retried', async () => {
    const old = new Date('2026-08-01T00:00:00Z');
    const [keep, oldOne, oldRetrying] = await db.store.insertMessages([
      newMessage({ failedAt: new Date('2026-11-01T00:00:00Z') }),
      newMessage({ failedAt: old }),
      newMessage({ failedAt: old }),
      ...Array.from({ length: 600 }, () => newMessage({ failedAt: old })),
    ]);
    const claimed = await db.store.claimAttempts(
      await Promise.all(
        [oldOne, oldRetrying].map(async report => ({
          message: (await db.store.getMessage(report.id))!,
          trigger: 'manual' as const,
          actor: null,
          forced: false,
          reason: null,
          bulkRetryId: null,
          now: old,
          leaseUntil: new Date('2099-01-01T00:00:00Z'),
        })),
      ),
    );
    await db.store.finishAttempt({
      attemptId: claimed[0]!.id,
      claimToken: claimed[0]!.claimToken,
      messageId: oldOne.id,
      now: old,
      outcome: 'failed',
      error: null,
      providerMessageId: null,
      message: { retryStatus: 'retry-failed', nextAutomaticRetryAt: null },
    });

    const deleted = await db.store.deleteMessagesFailedBefore(
      new Date('2026-09-01T00:00:00Z'),
    );
    expect(deleted).toBe(601);
    expect(await db.store.getMessage(keep.id)).toBeDefined();
    expect(await db.store.getMessage(oldOne.id)).toBeUndefined();
    expect(await db.store.listAttempts(oldOne.id)).toEqual([]);
    expect((await db.store.getMessage(oldRetrying.id))?.retryStatus).toBe(
      'retrying',
    );
    expect(await db.store.summarize({})).toMatchObject({ total: 2 });
    // Their search text goes with them.
    expect(
      (await db.knex('failed_message_search').select('message_id'))
        .map(row => row.message_id)
        .sort(),
    ).toEqual([keep.id, oldRetrying.id].sort());
  });

  it('compacts the counts without changing any total', async () => {
    const reports = await db.store.insertMessages(
      Array.from({ length: 40 }, (_, i) =>
        newMessage({ campaign: `c${i % 3}` }),
      ),
    );
    await db.store.claimAttempts(
      await Promise.all(
        reports.slice(0, 30).map(async report => ({
          message: (await db.store.getMessage(report.id))!,
          trigger: 'automatic' as const,
          actor: null,
          forced: false,
          reason: null,
          bulkRetryId: null,
          now: new Date(),
          leaseUntil: new Date(Date.now() + 60_000),
        })),
      ),
    );
    const before = await db.store.summarize({ retryStatus: ['retrying'] });
    const rowsBefore = await db.knex('failed_message_counts').count({ n: '*' });
    expect(await db.store.compactCounts()).toBeGreaterThan(0);
    const rowsAfter = await db.knex('failed_message_counts').count({ n: '*' });
    expect(Number(rowsAfter[0].n)).toBeLessThan(Number(rowsBefore[0].n));
    // One row per key: 3 campaigns, never-retried and retrying.
    expect(Number(rowsAfter[0].n)).toBe(6);
    expect(await db.store.summarize({ retryStatus: ['retrying'] })).toEqual(
      before,
    );
    expect(await db.store.summarize({})).toMatchObject({ total: 40 });
    expect(await db.store.compactCounts()).toBe(0);
  });
});

import { newMessage } from '../../../__testUtils__/messages';
import { describeStore } from '../../__testUtils__/testStore';

describeStore('listing bulk retries', db => {
  /** A run started at `minute` past ten over the given scope. */
  const startAt = (
    minute: number,
    scope: { ids: string[] } | { filter: object },
    reason: string | null = null,
  ) =>
    db.store.createBulkRetry({
      scope,
      createdBy: 'user:default/ada-admin',
      reason,
      now: new Date(`2026-11-27T10:${String(minute).padStart(2, '0')}:00Z`),
    });

  it('lists the latest runs first, with what each acted on, in the statuses asked for', async () => {
    const [one, two] = await db.store.insertMessages([
      newMessage({ campaign: 'spring' }),
      newMessage({ campaign: 'spring' }),
    ]);
    const oldest = await startAt(1, { ids: [one.id, two.id] }, 'outage over');
    const middle = await startAt(2, {
      filter: {
        campaign: 'spring',
        category: ['retryable'],
        from: new Date('2026-11-01T00:00:00Z'),
      },
    });
    const newest = await startAt(3, { ids: [one.id] });
    await db.store.setBulkRetryStatus({
      id: middle.id,
      from: ['running'],
      to: 'completed',
      now: new Date('2026-11-27T10:05:00Z'),
    });

    const all = await db.store.listBulkRetries({ limit: 20 });
    expect(all.map(run => run.id)).toEqual([newest.id, middle.id, oldest.id]);
    expect(all[2]).toMatchObject({
      status: 'running',
      total: 2,
      createdBy: 'user:default/ada-admin',
      createdAt: '2026-11-27T10:01:00.000Z',
      reason: 'outage over',
      scope: { selected: 2 },
    });
    expect(all[1]).toMatchObject({
      status: 'completed',
      finishedAt: '2026-11-27T10:05:00.000Z',
      scope: {
        filter: {
          campaign: 'spring',
          category: ['retryable'],
          from: '2026-11-01T00:00:00.000Z',
        },
      },
    });

    expect(await db.store.listBulkRetries({ limit: 2 })).toEqual(
      all.slice(0, 2),
    );
    expect(
      (
        await db.store.listBulkRetries({ statuses: ['running'], limit: 20 })
      ).map(run => run.id),
    ).toEqual([newest.id, oldest.id]);
    expect(
      await db.store.listBulkRetries({ statuses: ['cancelled'], limit: 20 }),
    ).toEqual([]);
  });

  it('filters messages, counts and the export by the bulk retry that acted on them', async () => {
    const reports = await db.store.insertMessages([
      newMessage({ category: 'retryable' }),
      newMessage({ category: 'retryable' }),
      newMessage({ category: 'non-retryable' }),
      newMessage({ category: 'retryable' }),
    ]);
    const touched = reports.slice(0, 3).map(r => r.id);
    const bulk = await startAt(1, { ids: touched });
    await startAt(2, { ids: [reports[3].id] });

    const page = await db.store.listMessages({
      filter: { bulkRetryId: bulk.id },
      sort: 'failedAt',
      order: 'desc',
      limit: 50,
      offset: 0,
    });
    expect(page.items.map(m => m.id).sort()).toEqual([...touched].sort());
    expect(page.totalCount).toBe(3);
    expect(await db.store.summarize({ bulkRetryId: bulk.id })).toEqual({
      total: 3,
      retryable: 2,
      nonRetryable: 1,
      businessLogic: 0,
    });
    const exported: string[] = [];
    for await (const message of db.store.streamMessages({
      bulkRetryId: bulk.id,
      category: ['retryable'],
    })) {
      exported.push(message.id);
    }
    expect(exported.sort()).toEqual(touched.slice(0, 2).sort());
    expect(
      (await db.store.summarize({ bulkRetryId: 'no-such-run' })).total,
    ).toBe(0);
  });
});

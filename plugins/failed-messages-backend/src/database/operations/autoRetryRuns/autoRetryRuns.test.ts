import { describeStore } from '../../__testUtils__/testStore';

describeStore('automatic runs', db => {
  it('records runs with what they skipped and lists them newest first', async () => {
    expect(await db.store.listAutoRetryRuns(10)).toEqual([]);
    const first = await db.store.startAutoRetryRun({
      startedAt: new Date('2026-11-24T03:00:00Z'),
      triggeredBy: null,
    });
    const second = await db.store.startAutoRetryRun({
      startedAt: new Date('2026-11-25T03:00:00Z'),
      triggeredBy: 'user:default/ada-admin',
    });
    expect(await db.store.listAutoRetryRuns(10)).toEqual([second, first]);

    const skipped = [
      { reason: 'Retries from account a are paused since …', count: 7 },
      { reason: 'A retry of this message is already running.', count: 1 },
    ];
    await db.store.finishAutoRetryRun({
      id: second.id,
      finishedAt: new Date('2026-11-25T03:04:00Z'),
      attempted: 40,
      succeeded: 31,
      failed: 9,
      skipped,
      pausedReason: 'Rate limited by Meta',
    });
    expect(await db.store.listAutoRetryRuns(1)).toEqual([
      {
        id: second.id,
        startedAt: '2026-11-25T03:00:00.000Z',
        finishedAt: '2026-11-25T03:04:00.000Z',
        triggeredBy: 'user:default/ada-admin',
        attempted: 40,
        succeeded: 31,
        failed: 9,
        skipped,
        pausedReason: 'Rate limited by Meta',
      },
    ]);
    expect(first.id).not.toBe(second.id);
  });
});

import { describeStore } from '../../__testUtils__/testStore';

describeStore('automatic runs', db => {
  it('records runs and reads back the one started last', async () => {
    expect(await db.store.getLastAutoRetryRun()).toBeUndefined();
    const first = await db.store.startAutoRetryRun({
      startedAt: new Date('2026-11-24T03:00:00Z'),
      triggeredBy: null,
    });
    const second = await db.store.startAutoRetryRun({
      startedAt: new Date('2026-11-25T03:00:00Z'),
      triggeredBy: 'user:default/ada-admin',
    });
    expect(await db.store.getLastAutoRetryRun()).toEqual(second);

    await db.store.finishAutoRetryRun({
      id: second.id,
      finishedAt: new Date('2026-11-25T03:04:00Z'),
      attempted: 40,
      succeeded: 31,
      failed: 9,
      pausedReason: 'Rate limited by Meta',
    });
    expect(await db.store.getLastAutoRetryRun()).toEqual({
      id: second.id,
      startedAt: '2026-11-25T03:00:00.000Z',
      finishedAt: '2026-11-25T03:04:00.000Z',
      triggeredBy: 'user:default/ada-admin',
      attempted: 40,
      succeeded: 31,
      failed: 9,
      pausedReason: 'Rate limited by Meta',
    });
    expect(first.id).not.toBe(second.id);
  });
});

import { newMessage } from '../../../__testUtils__/messages';
import { describeStore } from '../../__testUtils__/testStore';

describeStore('bulk retry items', db => {
  it('lists a page of pending items with their messages and newer deliveries', async () => {
    const [older, newer, other] = await db.store.insertMessages([
      newMessage({ failedAt: new Date('2026-11-20T10:00:00Z') }),
      newMessage({ failedAt: new Date('2026-11-21T10:00:00Z') }),
      newMessage({
        failedAt: new Date('2026-11-19T10:00:00Z'),
        templateName: null,
      }),
    ]);
    await db
      .knex('failed_messages')
      .where('id', newer.id)
      .update({ resolved_at: new Date('2026-11-21T11:00:00Z') });
    const bulk = await db.store.createBulkRetry({
      scope: { ids: [older.id, newer.id, other.id] },
      createdBy: 'user:default/ada-admin',
      reason: null,
      now: new Date(),
    });
    await db.knex('failed_messages').where('id', other.id).delete();

    const items = await db.store.listPendingBulkItems(bulk.id, 0, 10);
    // Newest first, as the run sends them.
    expect(items).toEqual([
      {
        position: 1,
        messageId: newer.id,
        message: await db.store.getMessage(newer.id),
        newerDelivered: false,
      },
      {
        position: 2,
        messageId: older.id,
        message: await db.store.getMessage(older.id),
        newerDelivered: true,
      },
      {
        position: 3,
        messageId: other.id,
        message: undefined,
        newerDelivered: false,
      },
    ]);
    expect(await db.store.listPendingBulkItems(bulk.id, 1, 1)).toEqual([
      items[1],
    ]);
  });

  it('records outcomes once and counts them on the run', async () => {
    const reports = await db.store.insertMessages(
      Array.from({ length: 5 }, () => newMessage()),
    );
    const bulk = await db.store.createBulkRetry({
      scope: { ids: reports.map(r => r.id) },
      createdBy: 'user:default/ada-admin',
      reason: null,
      now: new Date(),
    });
    await db.store.recordBulkItems(bulk.id, [
      { position: 1, outcome: 'succeeded', skipReason: null },
      { position: 2, outcome: 'outcome-unknown', skipReason: null },
      { position: 3, outcome: 'skipped', skipReason: 'Already delivered' },
    ]);
    // A repeat of an item changes nothing; a new one counts.
    await db.store.recordBulkItems(bulk.id, [
      { position: 1, outcome: 'failed', skipReason: null },
      { position: 4, outcome: 'failed', skipReason: null },
    ]);
    expect(await db.store.getBulkRetry(bulk.id)).toMatchObject({
      total: 5,
      processed: 4,
      succeeded: 1,
      failed: 2,
      skipped: 1,
    });
    const pending = await db.store.listPendingBulkItems(bulk.id, 0, 10);
    expect(pending.map(item => item.position)).toEqual([5]);
    expect(
      await db
        .knex('failed_message_bulk_retry_items')
        .where({ bulk_retry_id: bulk.id, position: 3 })
        .first('outcome', 'skip_reason'),
    ).toEqual({ outcome: 'skipped', skip_reason: 'Already delivered' });
  });

  it('moves a bulk retry between statuses and lets one worker hold it at a time', async () => {
    const reports = await db.store.insertMessages([newMessage()]);
    const created = new Date('2026-11-25T10:00:00Z');
    const bulk = await db.store.createBulkRetry({
      scope: { ids: reports.map(r => r.id) },
      createdBy: 'user:default/ada-admin',
      reason: 'Meta outage',
      now: created,
    });
    expect(bulk).toMatchObject({
      status: 'running',
      total: 1,
      createdAt: created.toISOString(),
      finishedAt: null,
      reason: 'Meta outage',
    });
    expect(await db.store.listRunningBulkRetries()).toEqual([bulk]);

    const later = (seconds: number) =>
      new Date(created.getTime() + seconds * 1000);
    const claim = (seconds: number) =>
      db.store.claimBulkRetryWork({
        id: bulk.id,
        now: later(seconds),
        staleBefore: later(seconds - 60),
      });
    expect(await claim(1)).toBe(true);
    // Another worker finds it held until the stamp is a minute old.
    expect(await claim(30)).toBe(false);
    expect(await db.store.touchBulkRetry(bulk.id, later(50))).toBe(true);
    expect(await claim(100)).toBe(false);
    expect(await claim(111)).toBe(true);

    const cancel = {
      id: bulk.id,
      from: ['running' as const],
      to: 'cancelled' as const,
      now: later(120),
    };
    expect(await db.store.setBulkRetryStatus(cancel)).toBe(true);
    expect(await db.store.setBulkRetryStatus(cancel)).toBe(false);
    expect(await db.store.getBulkRetry(bulk.id)).toMatchObject({
      status: 'cancelled',
      finishedAt: later(120).toISOString(),
    });
    // A cancelled run is no longer stamped, claimed or resumed.
    expect(await db.store.touchBulkRetry(bulk.id, later(130))).toBe(false);
    expect(await claim(1000)).toBe(false);
    expect(await db.store.listRunningBulkRetries()).toEqual([]);
    expect(await db.store.getBulkRetry('no-such-id')).toBeUndefined();
  });
});

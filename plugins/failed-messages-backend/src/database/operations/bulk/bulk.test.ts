import { newMessage } from '../../../__testUtils__/messages';
import { describeStore } from '../../__testUtils__/testStore';
import { BULK } from '../../tables';

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
    const claim = (ownerToken: string, seconds: number) =>
      db.store.claimBulkRetryWork({
        id: bulk.id,
        ownerToken,
        now: later(seconds),
        staleBefore: later(seconds - 60),
      });
    const touch = (ownerToken: string, seconds: number) =>
      db.store.touchBulkRetry({ id: bulk.id, ownerToken, now: later(seconds) });
    const stamp = async () =>
      new Date(
        (
          await db.knex(BULK).where('id', bulk.id).first('heartbeat_at')
        ).heartbeat_at,
      );
    expect(await claim('replica-a', 1)).toBe(true);
    // Another worker finds it held until the stamp is a minute old, and its
    // stamps change nothing meanwhile.
    expect(await claim('replica-b', 30)).toBe(false);
    expect(await touch('replica-b', 40)).toBe(false);
    expect(await stamp()).toEqual(later(1));
    expect(await touch('replica-a', 50)).toBe(true);
    expect(await claim('replica-b', 100)).toBe(false);
    expect(await claim('replica-b', 111)).toBe(true);

    // Replica a, taken over, can neither stamp nor end the run.
    expect(await touch('replica-a', 112)).toBe(false);
    const complete = (ownerToken: string) =>
      db.store.setBulkRetryStatus({
        id: bulk.id,
        from: ['running'],
        to: 'completed',
        now: later(115),
        ownerToken,
      });
    expect(await complete('replica-a')).toBe(false);
    expect(await db.store.getBulkRetry(bulk.id)).toMatchObject({
      status: 'running',
      finishedAt: null,
    });
    expect(await touch('replica-b', 116)).toBe(true);

    // A person cancels whoever works on it.
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
    // A cancelled run is no longer stamped, claimed, ended or resumed.
    expect(await touch('replica-b', 130)).toBe(false);
    expect(await complete('replica-b')).toBe(false);
    expect(await claim('replica-c', 1000)).toBe(false);
    expect(await db.store.listRunningBulkRetries()).toEqual([]);
    expect(await db.store.getBulkRetry('no-such-id')).toBeUndefined();
  });
});

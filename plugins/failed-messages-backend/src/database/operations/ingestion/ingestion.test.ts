import { newMessage } from '../../../__testUtils__/messages';
import { describeStore, listQuery } from '../../__testUtils__/testStore';

describeStore('ingestion', db => {
  it('stores a message and reads back every field', async () => {
    const [report] = await db.store.insertMessages([
      newMessage({
        externalId: 'wamid.1',
        nextAutomaticRetryAt: new Date('2026-11-20T10:01:00Z'),
      }),
    ]);
    expect(report.created).toBe(true);

    const stored = await db.store.getMessage(report.id);
    expect(stored).toEqual({
      id: report.id,
      channel: 'whatsapp',
      externalId: 'wamid.1',
      recipient: '+16505551234',
      campaign: 'order-updates',
      templateName: 'order_update',
      payload: { messaging_product: 'whatsapp', to: '+16505551234' },
      error: {
        code: '130429',
        title: 'Rate limit hit',
        message: '(#130429) Rate limit hit',
        details: null,
      },
      category: 'retryable',
      retryStatus: 'never-retried',
      automaticAttempts: 0,
      manualAttempts: 0,
      nextAutomaticRetryAt: '2026-11-20T10:01:00.000Z',
      failedAt: '2026-11-20T10:00:00.000Z',
      lastAttemptAt: null,
      resolvedAt: null,
      state: 'open',
      dismissal: null,
      resolution: null,
      businessNumber: null,
    });
    expect(await db.store.getMessage('no-such-id')).toBeUndefined();
  });

  it('returns the existing record for a repeated channel and external id', async () => {
    const [first] = await db.store.insertMessages([
      newMessage({ externalId: 'wamid.dup' }),
    ]);
    const again = await db.store.insertMessages([
      newMessage({ externalId: 'wamid.dup', recipient: '+10000000000' }),
      newMessage({ externalId: 'wamid.new' }),
      newMessage({ externalId: 'wamid.new' }),
      newMessage({ externalId: null }),
      newMessage({ externalId: null }),
    ]);
    expect(again[0]).toEqual({
      id: first.id,
      category: 'retryable',
      created: false,
    });
    expect(again[1].created).toBe(true);
    expect(again[2]).toEqual({ ...again[1], created: false });
    expect(again[3].created && again[4].created).toBe(true);
    expect(again[3].id).not.toBe(again[4].id);

    const page = await db.store.listMessages(listQuery());
    expect(page.totalCount).toBe(4);
    expect((await db.store.getMessage(first.id))?.recipient).toBe(
      '+16505551234',
    );
  });

  it('stores a report that arrives several times at once as one record', async () => {
    const copies = await Promise.all(
      Array.from({ length: 5 }, () =>
        db.store.insertMessages([newMessage({ externalId: 'wamid.same' })]),
      ),
    );
    const reports = copies.flat();
    expect(new Set(reports.map(report => report.id)).size).toBe(1);
    expect(reports.filter(report => report.created)).toHaveLength(1);
    expect((await db.store.listMessages(listQuery())).totalCount).toBe(1);
  });

  it('stores a batch of 1,000 in one call', async () => {
    const reports = await db.store.insertMessages(
      Array.from({ length: 1000 }, (_, i) =>
        newMessage({ externalId: `wamid.batch.${i}` }),
      ),
    );
    expect(new Set(reports.map(r => r.id)).size).toBe(1000);
    expect((await db.store.summarize({})).total).toBe(1000);
  });

  it('resolves a message once, leaving its attempts as they are', async () => {
    const [report] = await db.store.insertMessages([newMessage()]);
    await db.knex('failed_message_attempts').insert({
      id: 'attempt-1',
      message_id: report.id,
      attempt_number: 1,
      trigger: 'manual',
      actor: 'user:default/alex-agent',
      started_at: new Date('2026-11-25T10:00:00Z'),
      finished_at: new Date('2026-11-25T10:00:01Z'),
      outcome: 'succeeded',
      provider_message_id: 'wamid.resend',
    });
    expect(await db.store.resolveMessage('no-such-id', new Date())).toBe(false);
    expect(
      await db.store.resolveMessage(
        report.id,
        new Date('2026-11-25T10:05:00Z'),
      ),
    ).toBe(true);
    // A later status of the same message changes nothing.
    expect(
      await db.store.resolveMessage(
        report.id,
        new Date('2026-11-25T10:06:00Z'),
      ),
    ).toBe(false);
    const message = await db.store.getMessage(report.id);
    expect(message?.resolvedAt).toBe('2026-11-25T10:05:00.000Z');
    expect(message?.retryStatus).toBe('retry-succeeded');
    expect(await db.store.listAttempts(report.id)).toEqual([
      {
        id: 'attempt-1',
        attemptNumber: 1,
        trigger: 'manual',
        actor: 'user:default/alex-agent',
        startedAt: '2026-11-25T10:00:00.000Z',
        finishedAt: '2026-11-25T10:00:01.000Z',
        outcome: 'succeeded',
        error: null,
        providerMessageId: 'wamid.resend',
        reason: null,
        forced: false,
        delivery: null,
        statuses: [],
      },
    ]);
  });
});

import { newMessage } from '../../../__testUtils__/messages';
import { describeStore, listQuery } from '../../__testUtils__/testStore';
import { AttemptClaim } from '../../types';

describeStore('resolving by a newer delivery', db => {
  const older = new Date('2026-11-20T10:00:00Z');
  const newer = new Date('2026-11-21T10:00:00Z');
  const deliveredAt = new Date('2026-11-21T10:05:00Z');
  const ADMIN = 'user:default/ada-admin';

  const claimOf = async (
    messageId: string,
    forced: boolean,
  ): Promise<AttemptClaim> => ({
    message: (await db.store.getMessage(messageId))!,
    trigger: 'manual',
    actor: ADMIN,
    forced,
    reason: forced ? 'The customer asked for the old offer' : null,
    bulkRetryId: null,
    now: deliveredAt,
    leaseUntil: new Date(deliveredAt.getTime() + 60_000),
  });
  const idsIn = async (state: Array<'open' | 'resolved' | 'dismissed'>) =>
    (await db.store.listMessages(listQuery({ filter: { state } }))).items
      .map(message => message.id)
      .sort();

  it('resolves the older open messages of the recipient and template when a message is delivered', async () => {
    const [stale, otherTemplate, otherRecipient, later, latest] =
      await db.store.insertMessages([
        newMessage({ failedAt: older }),
        newMessage({ failedAt: older, templateName: 'welcome' }),
        newMessage({ failedAt: older, recipient: '+16505550000' }),
        newMessage({ failedAt: new Date('2026-11-22T10:00:00Z') }),
        newMessage({ failedAt: newer }),
      ]);

    expect(await db.store.resolveMessage(latest.id, deliveredAt)).toBe(true);

    expect(await db.store.getMessage(stale.id)).toMatchObject({
      state: 'resolved',
      resolvedAt: null,
      resolution: {
        cause: 'newer-delivery',
        at: deliveredAt.toISOString(),
        newerMessageId: latest.id,
      },
      nextAutomaticRetryAt: null,
    });
    expect(await db.store.getMessage(latest.id)).toMatchObject({
      state: 'resolved',
      resolution: {
        cause: 'delivered',
        at: deliveredAt.toISOString(),
        newerMessageId: null,
      },
    });
    expect(await db.store.listStateChanges(stale.id)).toEqual([
      {
        change: 'resolved',
        actor: null,
        at: deliveredAt.toISOString(),
        reason: null,
      },
    ]);
    expect(await idsIn(['open'])).toEqual(
      [otherTemplate.id, otherRecipient.id, later.id].sort(),
    );
    expect(await idsIn(['resolved'])).toEqual([stale.id, latest.id].sort());
    expect(await db.store.summarize({ state: ['open'] })).toMatchObject({
      total: 3,
    });
    expect(await db.store.summarize({ state: ['resolved'] })).toMatchObject({
      total: 2,
    });
  });

  it('leaves a dismissed message dismissed', async () => {
    const [dismissed, latest] = await db.store.insertMessages([
      newMessage({ failedAt: older }),
      newMessage({ failedAt: newer }),
    ]);
    await db.store.dismissMessage({
      messageId: dismissed.id,
      reason: 'Customer reached by phone',
      actor: ADMIN,
      now: deliveredAt,
    });

    await db.store.resolveMessage(latest.id, deliveredAt);

    expect(await db.store.getMessage(dismissed.id)).toMatchObject({
      state: 'dismissed',
      resolution: null,
    });
    expect(await db.store.summarize({ state: ['dismissed'] })).toMatchObject({
      total: 1,
    });
  });

  it('resolves older messages when an unknown outcome is settled as delivered', async () => {
    const [stale, latest] = await db.store.insertMessages([
      newMessage({ failedAt: older }),
      newMessage({ failedAt: newer }),
    ]);
    const [attempt] = await db.store.claimAttempts([
      await claimOf(latest.id, false),
    ]);
    await db.store.finishAttempt({
      attemptId: attempt!.id,
      claimToken: attempt!.claimToken,
      messageId: latest.id,
      now: deliveredAt,
      outcome: 'outcome-unknown',
      error: null,
      providerMessageId: null,
      message: { retryStatus: 'outcome-unknown', nextAutomaticRetryAt: null },
    });

    expect(
      await db.store.settleUnknownOutcome({
        messageId: latest.id,
        outcome: 'delivered',
        reason: 'The customer confirmed it',
        actor: ADMIN,
        now: deliveredAt,
      }),
    ).toBe('settled');

    expect(await db.store.getMessage(stale.id)).toMatchObject({
      state: 'resolved',
      resolution: { cause: 'newer-delivery', newerMessageId: latest.id },
    });
  });

  it('claims such a message only for a forced retry, which opens it again', async () => {
    const [stale, latest] = await db.store.insertMessages([
      newMessage({ failedAt: older }),
      newMessage({ failedAt: newer }),
    ]);
    await db.store.resolveMessage(latest.id, deliveredAt);

    expect(
      await db.store.claimAttempts([await claimOf(stale.id, false)]),
    ).toEqual([undefined]);
    // A message delivered itself is never claimed, forced or not.
    expect(
      await db.store.claimAttempts([await claimOf(latest.id, true)]),
    ).toEqual([undefined]);

    const [attempt] = await db.store.claimAttempts([
      await claimOf(stale.id, true),
    ]);
    expect(attempt).toMatchObject({ forced: true, outcome: 'in-progress' });
    expect(await db.store.getMessage(stale.id)).toMatchObject({
      state: 'open',
      retryStatus: 'retrying',
      resolution: null,
    });
    expect(await db.store.summarize({ state: ['open'] })).toMatchObject({
      total: 1,
    });
    expect(await db.store.summarize({ state: ['resolved'] })).toMatchObject({
      total: 1,
    });
  });

  it('keeps such a message out of the automatic run', async () => {
    const due = new Date('2026-11-20T11:00:00Z');
    const [stale, latest] = await db.store.insertMessages([
      newMessage({ failedAt: older, nextAutomaticRetryAt: due }),
      newMessage({ failedAt: newer }),
    ]);
    await db.store.resolveMessage(latest.id, deliveredAt);

    const listed = await db.store.listDueForAutomaticRetry({
      now: deliveredAt,
      maxAttempts: 3,
      limit: 10,
    });
    expect(listed.map(candidate => candidate.message.id)).not.toContain(
      stale.id,
    );
  });

  it('stores a failure reported after a newer message was delivered as resolved', async () => {
    const [latest] = await db.store.insertMessages([
      newMessage({ failedAt: newer }),
    ]);
    await db.store.resolveMessage(latest.id, deliveredAt);

    const [late, afterIt, untemplated] = await db.store.insertMessages([
      newMessage({ failedAt: older }),
      newMessage({ failedAt: new Date('2026-11-22T10:00:00Z') }),
      newMessage({ failedAt: older, templateName: null }),
    ]);

    expect(await db.store.getMessage(late.id)).toMatchObject({
      state: 'resolved',
      resolution: {
        cause: 'newer-delivery',
        at: deliveredAt.toISOString(),
        newerMessageId: latest.id,
      },
    });
    expect(await db.store.listStateChanges(late.id)).toEqual([
      expect.objectContaining({ change: 'resolved', actor: null }),
    ]);
    expect(await idsIn(['open'])).toEqual([afterIt.id, untemplated.id].sort());
    expect(await db.store.summarize({ state: ['resolved'] })).toMatchObject({
      total: 2,
    });
  });
});

describeStore('resolving by a delivered send of the send log', db => {
  const failedAt = new Date('2026-11-20T10:00:00Z');
  const send = (
    externalId: string,
    sentAt: Date,
    templateName = 'order_update',
  ) => ({
    externalId,
    phoneNumberId: null,
    recipient: '+16505551234',
    campaign: null,
    templateName,
    payload: { messaging_product: 'whatsapp' },
    sentAt,
  });
  const delivered = (externalId: string, at: Date) => ({
    externalId,
    status: 'delivered' as const,
    at,
    recipient: '16505551234',
    phoneNumberId: null,
  });

  it('resolves the failures of its recipient and template that failed before it was sent', async () => {
    const [before, after, otherTemplate] = await db.store.insertMessages([
      newMessage({ failedAt }),
      newMessage({ failedAt: new Date('2026-11-22T10:00:00Z') }),
      newMessage({ failedAt, templateName: 'welcome' }),
    ]);
    await db.store.logSends([
      send('wamid.NEXT', new Date('2026-11-21T10:00:00Z')),
    ]);
    const at = new Date('2026-11-21T10:01:00Z');

    const { resolved } = await db.store.recordDeliveryStatuses([
      delivered('wamid.NEXT', at),
    ]);

    expect(resolved).toBe(1);
    expect(await db.store.getMessage(before.id)).toMatchObject({
      state: 'resolved',
      resolution: {
        cause: 'newer-delivery',
        at: at.toISOString(),
        newerMessageId: null,
      },
    });
    expect(await db.store.listStateChanges(before.id)).toEqual([
      { change: 'resolved', actor: null, at: at.toISOString(), reason: null },
    ]);
    for (const open of [after, otherTemplate]) {
      expect(await db.store.getMessage(open.id)).toMatchObject({
        state: 'open',
      });
    }
    expect(await db.store.summarize({ state: ['resolved'] })).toMatchObject({
      total: 1,
    });
  });

  it('resolves nothing for a send without a template', async () => {
    const [report] = await db.store.insertMessages([newMessage({ failedAt })]);
    await db.store.logSends([
      {
        ...send('wamid.PLAIN', new Date('2026-11-21T10:00:00Z')),
        templateName: null,
      },
    ]);
    const { resolved } = await db.store.recordDeliveryStatuses([
      delivered('wamid.PLAIN', new Date('2026-11-21T10:01:00Z')),
    ]);
    expect(resolved).toBe(0);
    expect(await db.store.getMessage(report.id)).toMatchObject({
      state: 'open',
    });
  });
});

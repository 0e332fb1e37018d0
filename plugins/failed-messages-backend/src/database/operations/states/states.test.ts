import { newMessage } from '../../../__testUtils__/messages';
import { describeStore, listQuery } from '../../__testUtils__/testStore';
import { AttemptClaim } from '../../types';

describeStore('dismissing and reopening', db => {
  const now = new Date('2026-11-25T10:00:00Z');
  const AGENT = 'user:default/alex-agent';

  const dismiss = (messageId: string, reason = 'Customer reached by phone') =>
    db.store.dismissMessage({ messageId, reason, actor: AGENT, now });
  const reopen = (messageId: string) =>
    db.store.reopenMessage({
      messageId,
      actor: AGENT,
      now: new Date(now.getTime() + 60_000),
    });
  const claimOf = async (messageId: string): Promise<AttemptClaim> => ({
    message: (await db.store.getMessage(messageId))!,
    trigger: 'manual',
    actor: AGENT,
    forced: false,
    reason: null,
    bulkRetryId: null,
    now,
    leaseUntil: new Date(now.getTime() + 60_000),
  });
  const idsIn = async (state: Array<'open' | 'resolved' | 'dismissed'>) =>
    (await db.store.listMessages(listQuery({ filter: { state } }))).items
      .map(message => message.id)
      .sort();

  it('closes an open message with who, when and why, and opens it again', async () => {
    const [report] = await db.store.insertMessages([newMessage()]);

    expect(await dismiss(report.id)).toBe('dismissed');
    expect(await db.store.getMessage(report.id)).toMatchObject({
      state: 'dismissed',
      dismissal: {
        by: AGENT,
        at: now.toISOString(),
        reason: 'Customer reached by phone',
      },
    });

    expect(await reopen(report.id)).toBe('reopened');
    expect(await db.store.getMessage(report.id)).toMatchObject({
      state: 'open',
      dismissal: null,
    });
    expect(await db.store.listStateChanges(report.id)).toEqual([
      {
        change: 'dismissed',
        actor: AGENT,
        at: now.toISOString(),
        reason: 'Customer reached by phone',
      },
      {
        change: 'reopened',
        actor: AGENT,
        at: new Date(now.getTime() + 60_000).toISOString(),
        reason: null,
      },
    ]);
  });

  it('keeps attempts, counters and the next automatic time through a dismissal', async () => {
    const due = new Date('2026-11-26T06:00:00Z');
    const [report] = await db.store.insertMessages([
      newMessage({ nextAutomaticRetryAt: due }),
    ]);
    const [attempt] = await db.store.claimAttempts([await claimOf(report.id)]);
    await db.store.finishAttempt({
      attemptId: attempt!.id,
      claimToken: attempt!.claimToken,
      messageId: report.id,
      now,
      outcome: 'failed',
      error: null,
      providerMessageId: null,
      message: { retryStatus: 'retry-failed', nextAutomaticRetryAt: due },
    });
    const before = await db.store.getMessage(report.id);

    await dismiss(report.id);
    await reopen(report.id);

    const after = await db.store.getMessage(report.id);
    expect(after).toEqual(before);
    expect(await db.store.listAttempts(report.id)).toHaveLength(1);
  });

  it('refuses what is not open, what is being retried and what is not stored', async () => {
    const [dismissed, retrying, delivered, open] =
      await db.store.insertMessages([
        newMessage(),
        newMessage(),
        newMessage(),
        newMessage(),
      ]);
    await dismiss(dismissed.id);
    await db.store.claimAttempts([await claimOf(retrying.id)]);
    await db.store.resolveMessage(delivered.id, now);

    expect(await dismiss(dismissed.id)).toBe('already-dismissed');
    expect(await dismiss(retrying.id)).toBe('retrying');
    expect(await dismiss(delivered.id)).toBe('resolved');
    expect(await dismiss('no-such-message')).toBe('not-found');
    expect(await reopen(open.id)).toBe('not-dismissed');
    expect(await reopen(delivered.id)).toBe('not-dismissed');
    expect(await reopen('no-such-message')).toBe('not-found');
    expect(await db.store.getMessage(retrying.id)).toMatchObject({
      state: 'open',
      retryStatus: 'retrying',
    });
  });

  it('filters and counts by state, from the counts as on the messages', async () => {
    const reports = await db.store.insertMessages(
      Array.from({ length: 9 }, (_, i) =>
        newMessage({
          failedAt: new Date(Date.UTC(2026, 9, 28 + i, 10 + i)),
          category: i % 3 === 0 ? 'business-logic' : 'retryable',
        }),
      ),
    );
    const [first, second, third] = reports;
    await dismiss(first.id);
    await dismiss(second.id);
    await db.store.resolveMessage(third.id, now);

    expect(await idsIn(['dismissed'])).toEqual([first.id, second.id].sort());
    expect(await idsIn(['resolved'])).toEqual([third.id]);
    expect(await idsIn(['open'])).toHaveLength(6);
    expect(await idsIn(['open', 'dismissed'])).toHaveLength(8);

    expect(await db.store.summarize({ state: ['open'] })).toEqual({
      total: 6,
      retryable: 4,
      nonRetryable: 0,
      businessLogic: 2,
    });
    expect(await db.store.summarize({ state: ['dismissed'] })).toMatchObject({
      total: 2,
      businessLogic: 1,
    });
    expect(await db.store.summarize({})).toMatchObject({ total: 9 });
    // A window with partial first and last days and whole months between
    // reads the counts and the messages alike.
    const window = {
      from: new Date('2026-10-28T12:00:00Z'),
      to: new Date('2026-11-05T09:00:00Z'),
    };
    const page = await db.store.listMessages(
      listQuery({ filter: { ...window, state: ['open'] } }),
    );
    expect(
      (await db.store.summarize({ ...window, state: ['open'] })).total,
    ).toBe(page.items.length);
    expect(page.totalCount).toBe(page.items.length);

    await reopen(first.id);
    expect(await db.store.summarize({ state: ['open'] })).toMatchObject({
      total: 7,
    });
  });

  it('keeps a dismissed message out of the automatic run and refuses to claim it', async () => {
    const due = new Date('2026-11-25T06:00:00Z');
    const [kept, closed] = await db.store.insertMessages([
      newMessage({ nextAutomaticRetryAt: due }),
      newMessage({ nextAutomaticRetryAt: due }),
    ]);
    // Read before the dismissal, as a run or a bulk retry may have.
    const staleClaim = await claimOf(closed.id);
    await dismiss(closed.id);

    const listed = await db.store.listDueForAutomaticRetry({
      now,
      maxAttempts: 3,
      limit: 10,
    });
    expect(listed.map(candidate => candidate.message.id)).toEqual([kept.id]);
    expect(await db.store.claimAttempts([staleClaim])).toEqual([undefined]);
    expect(await db.store.listAttempts(closed.id)).toEqual([]);

    await reopen(closed.id);
    const again = await db.store.listDueForAutomaticRetry({
      now,
      maxAttempts: 3,
      limit: 10,
    });
    expect(again.map(candidate => candidate.message.id).sort()).toEqual(
      [kept.id, closed.id].sort(),
    );
  });

  it('resolves a dismissed message whose earlier resend is delivered', async () => {
    const [report] = await db.store.insertMessages([newMessage()]);
    await dismiss(report.id);

    await db.store.resolveMessage(report.id, now);

    expect(await db.store.getMessage(report.id)).toMatchObject({
      state: 'resolved',
    });
    expect(await db.store.summarize({ state: ['resolved'] })).toMatchObject({
      total: 1,
    });
    expect(await db.store.summarize({ state: ['dismissed'] })).toMatchObject({
      total: 0,
    });
  });
});

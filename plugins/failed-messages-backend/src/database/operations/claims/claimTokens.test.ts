import { newMessage } from '../../../__testUtils__/messages';
import { describeStore } from '../../__testUtils__/testStore';

describeStore('claim tokens', db => {
  const now = new Date('2026-11-25T10:00:00Z');
  const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

  const claim = async (messageId: string, forced = false) => {
    const [attempt] = await db.store.claimAttempts([
      {
        message: (await db.store.getMessage(messageId))!,
        trigger: 'manual',
        actor: 'user:default/ada',
        forced,
        reason: null,
        bulkRetryId: null,
        now,
        leaseUntil: later(60),
      },
    ]);
    return attempt!;
  };

  const accepted = (attempt: { id: string; claimToken: string }, id: string) =>
    db.store.finishAttempt({
      attemptId: attempt.id,
      claimToken: attempt.claimToken,
      messageId: id,
      now: later(90),
      outcome: 'succeeded',
      error: null,
      providerMessageId: `wamid.${attempt.id}`,
      message: { retryStatus: 'retry-succeeded', nextAutomaticRetryAt: null },
    });

  it('lets only the claim that owns the attempt record its outcome', async () => {
    const [report] = await db.store.insertMessages([newMessage()]);
    const first = await claim(report.id);
    expect(await db.store.expireLeases(later(61))).toBe(1);
    const second = await claim(report.id, true);

    // The first send finishes late: nothing changes.
    expect(await accepted(first, report.id)).toBe(false);
    expect(await db.store.getMessage(report.id)).toMatchObject({
      retryStatus: 'retrying',
      manualAttempts: 2,
    });
    expect(
      (await db.store.listAttempts(report.id)).map(a => a.outcome),
    ).toEqual(['outcome-unknown', 'in-progress']);
    // Nor does a finish with another claim's token.
    expect(
      await accepted({ ...second, claimToken: first.claimToken }, report.id),
    ).toBe(false);
    expect(
      await db.store.summarize({ retryStatus: ['retrying'] }),
    ).toMatchObject({ total: 1 });

    expect(await accepted(second, report.id)).toBe(true);
    expect((await db.store.getMessage(report.id))?.retryStatus).toBe(
      'retry-succeeded',
    );
  });

  it('gives a claim back only for its token', async () => {
    const [report] = await db.store.insertMessages([newMessage()]);
    const before = (await db.store.getMessage(report.id))!;
    const attempt = await claim(report.id);
    const release = (claimToken: string) =>
      db.store.releaseClaims([
        { attemptId: attempt.id, claimToken, message: before, now },
      ]);
    await release('not-the-token');
    expect((await db.store.getMessage(report.id))?.retryStatus).toBe(
      'retrying',
    );
    await release(attempt.claimToken);
    expect((await db.store.getMessage(report.id))?.retryStatus).toBe(
      'never-retried',
    );
  });

  it('renews the leases of held claims, not of lapsed ones', async () => {
    const [lapsed, held] = await db.store.insertMessages([
      newMessage(),
      newMessage(),
    ]);
    const lapsedAttempt = await claim(lapsed.id);
    expect(await db.store.expireLeases(later(61))).toBe(1);
    const heldAttempt = await claim(held.id);

    expect(
      await db.store.renewLeases(
        [
          { messageId: lapsed.id, claimToken: lapsedAttempt.claimToken },
          { messageId: held.id, claimToken: heldAttempt.claimToken },
        ],
        later(400),
      ),
    ).toBe(1);
    // Past the first lease, within the renewed one.
    expect(await db.store.expireLeases(later(300))).toBe(0);
    expect((await db.store.getMessage(held.id))?.retryStatus).toBe('retrying');
    expect((await db.store.getMessage(lapsed.id))?.retryStatus).toBe(
      'outcome-unknown',
    );
  });
});

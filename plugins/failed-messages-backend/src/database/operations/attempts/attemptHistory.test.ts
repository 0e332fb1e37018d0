import { newMessage } from '../../../__testUtils__/messages';
import { describeStore } from '../../__testUtils__/testStore';
import { AttemptStatusReport } from '../../types';

describeStore('the history of an attempt', db => {
  const now = new Date('2026-11-25T10:00:00Z');
  const ADMIN = 'user:default/ada-admin';

  /** A resend forced by an admin with a reason, which Meta accepted as `wamid`. */
  async function acceptedForcedResend(wamid: string) {
    const [{ id }] = await db.store.insertMessages([newMessage()]);
    const [attempt] = await db.store.claimAttempts([
      {
        message: (await db.store.getMessage(id))!,
        trigger: 'manual',
        actor: ADMIN,
        forced: true,
        reason: 'The customer asked for it again',
        bulkRetryId: null,
        now,
        leaseUntil: new Date(now.getTime() + 60_000),
      },
    ]);
    expect(attempt).toMatchObject({
      forced: true,
      reason: 'The customer asked for it again',
      delivery: null,
      statuses: [],
    });
    await db.store.finishAttempt({
      attemptId: attempt!.id,
      claimToken: attempt!.claimToken,
      messageId: id,
      now,
      outcome: 'succeeded',
      error: null,
      providerMessageId: wamid,
      message: { retryStatus: 'retry-succeeded', nextAutomaticRetryAt: null },
    });
    return id;
  }

  const report = (
    providerMessageId: string,
    status: AttemptStatusReport['status'],
    at: string,
  ): AttemptStatusReport => ({
    providerMessageId,
    messageId: null,
    status,
    at: new Date(at),
    error: null,
    now: new Date(at),
  });

  it('keeps who retried, why, whether it was forced, and what Meta said last', async () => {
    const id = await acceptedForcedResend('wamid.history');

    await db.store.recordAttemptStatus(
      report('wamid.history', 'delivered', '2026-11-25T10:01:00Z'),
    );
    await db.store.recordAttemptStatus(
      report('wamid.history', 'read', '2026-11-25T10:05:00Z'),
    );
    // Meta's statuses arrive out of order: a late `sent` changes nothing.
    await db.store.recordAttemptStatus(
      report('wamid.history', 'sent', '2026-11-25T10:00:30Z'),
    );

    expect(await db.store.listAttempts(id)).toEqual([
      expect.objectContaining({
        actor: ADMIN,
        outcome: 'succeeded',
        forced: true,
        reason: 'The customer asked for it again',
        delivery: { status: 'read', at: '2026-11-25T10:05:00.000Z' },
      }),
    ]);
  });

  it('shows a failure Meta reported after accepting the resend', async () => {
    const id = await acceptedForcedResend('wamid.failed-later');

    await db.store.recordAttemptStatus({
      ...report('wamid.failed-later', 'failed', '2026-11-25T10:02:00Z'),
      error: {
        code: '131026',
        title: 'Message undeliverable',
        message: null,
        details: null,
      },
    });

    const [attempt] = await db.store.listAttempts(id);
    expect(attempt.delivery).toEqual({
      status: 'failed',
      at: '2026-11-25T10:02:00.000Z',
    });
  });

  it('keeps the time of each status Meta reported, though they come twice and out of order', async () => {
    const id = await acceptedForcedResend('wamid.steps');

    for (const [status, at] of [
      ['read', '2026-11-25T10:05:00Z'],
      ['delivered', '2026-11-25T10:01:00Z'],
      // Redelivered with a later time: the first time of `read` stays.
      ['read', '2026-11-25T10:09:00Z'],
      ['sent', '2026-11-25T10:00:30Z'],
      ['delivered', '2026-11-25T10:01:00Z'],
    ] as const) {
      await db.store.recordAttemptStatus(report('wamid.steps', status, at));
    }

    const [attempt] = await db.store.listAttempts(id);
    expect(attempt.statuses).toEqual([
      { status: 'sent', at: '2026-11-25T10:00:30.000Z' },
      { status: 'delivered', at: '2026-11-25T10:01:00.000Z' },
      { status: 'read', at: '2026-11-25T10:05:00.000Z' },
    ]);
    expect(attempt.delivery).toEqual({
      status: 'read',
      at: '2026-11-25T10:05:00.000Z',
    });
  });

  it('places a status that arrives after the failure before it, and keeps the failure', async () => {
    const id = await acceptedForcedResend('wamid.sent-late');

    await db.store.recordAttemptStatus(
      report('wamid.sent-late', 'failed', '2026-11-25T10:02:00Z'),
    );
    await db.store.recordAttemptStatus(
      report('wamid.sent-late', 'sent', '2026-11-25T10:00:30Z'),
    );

    const [attempt] = await db.store.listAttempts(id);
    expect(attempt.statuses).toEqual([
      { status: 'sent', at: '2026-11-25T10:00:30.000Z' },
      { status: 'failed', at: '2026-11-25T10:02:00.000Z' },
    ]);
    expect(attempt.delivery).toEqual({
      status: 'failed',
      at: '2026-11-25T10:02:00.000Z',
    });
  });
});

import { newMessage } from '../../../__testUtils__/messages';
import { describeStore } from '../../__testUtils__/testStore';
import { claimMessages, finishAccepted } from '../../__testUtils__/claims';

describeStore('statistics', db => {
  it('counts finished attempts, failures and recoveries per UTC day of the window', async () => {
    const undeliverable = {
      code: '131026',
      title: 'Message undeliverable',
      message: null,
      details: null,
    };
    const [recovered, stopped, refailed] = await db.store.insertMessages([
      newMessage({ failedAt: new Date('2026-11-20T10:00:00Z') }),
      newMessage({
        failedAt: new Date('2026-11-20T23:00:00Z'),
        error: undeliverable,
        category: 'non-retryable',
      }),
      newMessage({ failedAt: new Date('2026-11-21T01:00:00Z') }),
      // Before the window.
      newMessage({ failedAt: new Date('2026-11-19T12:00:00Z') }),
    ]);
    const now = new Date('2026-11-21T08:00:00Z');
    const claims = await Promise.all(
      [
        { id: recovered.id, trigger: 'automatic' as const },
        { id: refailed.id, trigger: 'manual' as const },
        // Still in progress: not counted.
        { id: stopped.id, trigger: 'manual' as const },
      ].map(async ({ id, trigger }) => ({
        message: (await db.store.getMessage(id))!,
        trigger,
        actor: null,
        forced: false,
        reason: null,
        bulkRetryId: null,
        now,
        leaseUntil: new Date(now.getTime() + 60_000),
      })),
    );
    const [delivered, failed] = await db.store.claimAttempts(claims);
    await db.store.finishAttempt({
      attemptId: delivered!.id,
      claimToken: delivered!.claimToken,
      messageId: recovered.id,
      now,
      outcome: 'succeeded',
      error: null,
      providerMessageId: 'wamid.stats',
      message: { retryStatus: 'retry-succeeded', nextAutomaticRetryAt: null },
    });
    await db.store.finishAttempt({
      attemptId: failed!.id,
      claimToken: failed!.claimToken,
      messageId: refailed.id,
      now,
      outcome: 'failed',
      error: undeliverable,
      providerMessageId: null,
      message: {
        retryStatus: 'retry-failed',
        error: undeliverable,
        category: 'non-retryable',
        nextAutomaticRetryAt: null,
      },
    });
    await db.store.resolveMessage(
      recovered.id,
      new Date('2026-11-21T10:00:00Z'),
    );

    const aggregates = await db.store.getStatisticsAggregates({
      fromDay: '2026-11-20',
      toDay: '2026-11-21',
    });
    // An attempt is counted under the error it tried to recover from.
    expect(aggregates.attempts).toEqual({
      byTrigger: expect.arrayContaining([
        { trigger: 'automatic', outcome: 'succeeded', count: 1 },
        { trigger: 'manual', outcome: 'failed', count: 1 },
      ]),
      byErrorCode: expect.arrayContaining([
        { errorCode: '130429', outcome: 'succeeded', count: 1 },
        { errorCode: '130429', outcome: 'failed', count: 1 },
      ]),
      byAttemptNumber: expect.arrayContaining([
        { attemptNumber: 1, outcome: 'succeeded', count: 1 },
        { attemptNumber: 1, outcome: 'failed', count: 1 },
      ]),
      byDay: expect.arrayContaining([
        { day: '2026-11-21', outcome: 'succeeded', count: 1 },
        { day: '2026-11-21', outcome: 'failed', count: 1 },
      ]),
    });
    expect(Object.values(aggregates.attempts).map(rows => rows.length)).toEqual(
      [2, 2, 2, 2],
    );
    // A failure is counted under its message's current error and category.
    expect(aggregates.failures).toHaveLength(3);
    expect(aggregates.failures).toEqual(
      expect.arrayContaining([
        {
          day: '2026-11-20',
          category: 'retryable',
          errorCode: '130429',
          count: 1,
        },
        {
          day: '2026-11-20',
          category: 'non-retryable',
          errorCode: '131026',
          count: 1,
        },
        {
          day: '2026-11-21',
          category: 'non-retryable',
          errorCode: '131026',
          count: 1,
        },
      ]),
    );
    expect(aggregates.medianSecondsToRecovery).toBe(24 * 3600);
  });

  it("counts only the attempts of the campaign's messages when a campaign is asked for", async () => {
    const messages = await db.store.insertMessages(
      ['spring-promo', 'order-updates', null].map(campaign =>
        newMessage({ failedAt: new Date('2026-11-20T10:00:00Z'), campaign }),
      ),
    );
    const now = new Date('2026-11-20T12:00:00Z');
    const claimed = await claimMessages(
      db.store,
      messages.map(({ id }) => id),
      now,
    );
    for (const [i, attempt] of claimed.entries()) {
      await finishAccepted(
        db.store,
        messages[i].id,
        attempt!,
        now,
        `wamid.campaign-${i}`,
      );
    }
    const window = { fromDay: '2026-11-20', toDay: '2026-11-20' };

    const total = async (campaign?: string) =>
      (
        await db.store.getStatisticsAggregates({ ...window, campaign })
      ).attempts.byTrigger.reduce((sum, row) => sum + row.count, 0);
    expect(await total()).toBe(3);
    expect(await total('spring-promo')).toBe(1);
    expect(await total('black-friday')).toBe(0);
  });
});

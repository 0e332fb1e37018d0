import { newMessage } from '../../../__testUtils__/messages';
import { describeStore } from '../../__testUtils__/testStore';
import { claimMessages } from '../../__testUtils__/claims';
import { ATTEMPTS, MESSAGES } from '../../tables';
import { StatisticsAggregates } from '../../types';

const WINDOW = { fromDay: '2026-11-01', toDay: '2026-11-30' };
const COUNTED = ['succeeded', 'failed', 'outcome-unknown'];

describeStore('attempt counts', db => {
  /** The attempts as getStatisticsAggregates reports them, counted row by row. */
  async function recount(
    campaign?: string,
  ): Promise<StatisticsAggregates['attempts']> {
    const rows: any[] = await db
      .knex(`${ATTEMPTS} as a`)
      .join(`${MESSAGES} as m`, 'm.id', 'a.message_id')
      .select('a.*', 'm.campaign')
      .whereIn('a.outcome', COUNTED);
    const tally = new Map<string, number>();
    for (const row of rows.filter(
      r => campaign === undefined || r.campaign === campaign,
    )) {
      const day = new Date(row.started_at).toISOString().slice(0, 10);
      for (const key of [
        ['trigger', row.trigger],
        ['errorCode', row.for_error_code],
        ['attemptNumber', row.attempt_number],
        ['day', day],
      ]) {
        const id = JSON.stringify([...key, row.outcome]);
        tally.set(id, (tally.get(id) ?? 0) + 1);
      }
    }
    const along = (dimension: string) =>
      [...tally.entries()]
        .map(([id, count]) => [JSON.parse(id), count] as const)
        .filter(([[name]]) => name === dimension)
        .map(([[, value, outcome], count]) => ({
          [dimension]: value,
          outcome,
          count,
        }));
    return {
      byTrigger: along('trigger'),
      byErrorCode: along('errorCode'),
      byAttemptNumber: along('attemptNumber'),
      byDay: along('day'),
    } as StatisticsAggregates['attempts'];
  }

  async function expectCountsToMatchAttempts() {
    for (const campaign of [undefined, 'spring-promo', 'order-updates']) {
      const { attempts } = await db.store.getStatisticsAggregates({
        ...WINDOW,
        campaign,
      });
      const expected = await recount(campaign);
      for (const [dimension, rows] of Object.entries(expected)) {
        const counted: unknown[] = attempts[dimension as keyof typeof attempts];
        expect(counted).toHaveLength(rows.length);
        expect(counted).toEqual(expect.arrayContaining(rows as unknown[]));
      }
    }
  }

  it('follow every change of an attempt: finish, lease expiry, Meta status, settlement, campaign and retention', async () => {
    const now = new Date('2026-11-20T12:00:00Z');
    const messages = await db.store.insertMessages([
      newMessage({ campaign: 'spring-promo' }),
      newMessage({ campaign: null }),
      newMessage({ campaign: 'order-updates' }),
      newMessage({
        campaign: 'order-updates',
        failedAt: new Date('2026-11-02T10:00:00Z'),
      }),
      newMessage({ campaign: 'spring-promo' }),
      newMessage({ campaign: 'spring-promo' }),
    ]);
    const [accepted, expired, answered, old, , refailed] = messages;
    const attempts = await claimMessages(
      db.store,
      messages.map(m => m.id),
      now,
    );
    // Claimed attempts are not counted until they end.
    await expectCountsToMatchAttempts();
    expect(
      (await db.store.getStatisticsAggregates(WINDOW)).attempts.byTrigger,
    ).toEqual([]);

    const finish = (i: number, outcome: 'succeeded' | 'failed') =>
      db.store.finishAttempt({
        attemptId: attempts[i]!.id,
        claimToken: attempts[i]!.claimToken,
        messageId: messages[i].id,
        now,
        outcome,
        error: null,
        providerMessageId: outcome === 'succeeded' ? `wamid.${i}` : null,
        message: {
          retryStatus:
            outcome === 'succeeded' ? 'retry-succeeded' : 'retry-failed',
          nextAutomaticRetryAt: null,
        },
      });
    await finish(0, 'succeeded');
    await finish(3, 'failed');
    await finish(5, 'failed');
    await expectCountsToMatchAttempts();

    // The others' leases lapse: outcome unknown.
    const later = new Date(now.getTime() + 120_000);
    await db.store.expireLeases(later);
    await expectCountsToMatchAttempts();

    await db.store.settleUnknownOutcome({
      messageId: expired.id,
      outcome: 'delivered',
      actor: 'user:default/alex-agent',
      reason: 'The customer confirmed it',
      now: later,
    });
    await db.store.recordAttemptStatus({
      providerMessageId: 'wamid.answered',
      messageId: answered.id,
      status: 'failed',
      at: later,
      error: {
        code: '131026',
        title: 'Message undeliverable',
        message: null,
        details: null,
      },
      now: later,
    });
    await expectCountsToMatchAttempts();

    // A second attempt, by a bulk retry, fails again.
    const [second] = await claimMessages(
      db.store,
      [refailed.id],
      later,
      'bulk',
    );
    await db.store.finishAttempt({
      attemptId: second!.id,
      claimToken: second!.claimToken,
      messageId: refailed.id,
      now: later,
      outcome: 'failed',
      error: null,
      providerMessageId: null,
      message: { retryStatus: 'retry-failed', nextAutomaticRetryAt: null },
    });
    await expectCountsToMatchAttempts();

    // A campaign set later moves the message's attempts along.
    await db.knex(MESSAGES).where('id', expired.id).update({
      campaign: 'spring-promo',
    });
    await expectCountsToMatchAttempts();

    await db.store.deleteMessagesFailedBefore(new Date('2026-11-10T00:00:00Z'));
    expect(await db.store.getMessage(old.id)).toBeUndefined();
    await expectCountsToMatchAttempts();
    expect(await db.store.getMessage(accepted.id)).toBeDefined();

    // Folding the shards changes no figure.
    await db.store.compactCounts();
    await expectCountsToMatchAttempts();
    const total = (
      await db.store.getStatisticsAggregates(WINDOW)
    ).attempts.byTrigger.reduce((sum, row) => sum + row.count, 0);
    expect(total).toBe(6);
  });
});

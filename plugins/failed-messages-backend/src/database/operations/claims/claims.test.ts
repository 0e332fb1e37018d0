import { newMessage } from '../../../__testUtils__/messages';
import { describeStore, listQuery } from '../../__testUtils__/testStore';
import { RetryStatus } from '@msgops/plugin-failed-messages-common';

describeStore('retry claims', db => {
  const now = new Date('2026-11-25T10:00:00Z');
  const claimOf = async (
    messageId: string,
    trigger: 'manual' | 'automatic' = 'manual',
  ) => ({
    message: (await db.store.getMessage(messageId))!,
    trigger,
    actor: trigger === 'manual' ? 'user:default/alex-agent' : null,
    forced: false,
    reason: null,
    bulkRetryId: null,
    now,
    leaseUntil: new Date(now.getTime() + 60_000),
  });

  /** Claims the message as it is now, as a page of one. */
  const claimNow = async (
    messageId: string,
    trigger: 'manual' | 'automatic' = 'manual',
  ) => {
    const [attempt] = await db.store.claimAttempts([
      await claimOf(messageId, trigger),
    ]);
    return attempt;
  };

  it('lets exactly one of many racing claims win and counts the attempt', async () => {
    const [report] = await db.store.insertMessages([newMessage()]);
    const claim = await claimOf(report.id);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => db.store.claimAttempts([claim])),
    );
    const won = results.flat().filter(Boolean);
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({
      attemptNumber: 1,
      trigger: 'manual',
      outcome: 'in-progress',
    });
    expect(await db.store.getMessage(report.id)).toMatchObject({
      retryStatus: 'retrying',
      manualAttempts: 1,
      lastAttemptAt: now.toISOString(),
    });
    // A claim built from the message as it was before is stale now.
    expect(await db.store.claimAttempts([claim])).toEqual([undefined]);
  });

  it('claims and finishes many messages at once, each counted where it ends', async () => {
    const reports = await db.store.insertMessages(
      Array.from({ length: 30 }, (_, i) =>
        newMessage({
          failedAt: new Date(Date.UTC(2026, 10, 20 + (i % 3), 10)),
          campaign: i % 2 ? 'even' : null,
        }),
      ),
    );
    const claims = await Promise.all(reports.map(r => claimOf(r.id)));
    // All at once, and a stale copy of each: every message is won once.
    const results = (
      await Promise.all(
        [...claims, ...claims].map(claim => db.store.claimAttempts([claim])),
      )
    ).flat();
    expect(results.filter(Boolean)).toHaveLength(30);
    const attempts = reports.map((_, i) => (results[i] ?? results[i + 30])!);

    await Promise.all(
      reports.map((report, i) =>
        db.store.finishAttempt({
          attemptId: attempts[i].id,
          claimToken: attempts[i].claimToken,
          messageId: report.id,
          now,
          ...(i % 3 === 0
            ? {
                outcome: 'failed' as const,
                error: {
                  code: '131026',
                  title: 'Undeliverable',
                  message: null,
                  details: null,
                },
                providerMessageId: null,
                message: {
                  retryStatus: 'retry-failed' as const,
                  error: {
                    code: '131026',
                    title: 'Undeliverable',
                    message: null,
                    details: null,
                  },
                  category: 'non-retryable' as const,
                  nextAutomaticRetryAt: null,
                },
              }
            : {
                outcome: 'succeeded' as const,
                error: null,
                providerMessageId: `wamid.${i}`,
                message: {
                  retryStatus: 'retry-succeeded' as const,
                  nextAutomaticRetryAt: null,
                },
              }),
        }),
      ),
    );

    for (const [i, report] of reports.entries()) {
      const [attempt] = await db.store.listAttempts(report.id);
      expect(attempt.outcome).toBe(i % 3 === 0 ? 'failed' : 'succeeded');
      expect(await db.store.getMessage(report.id)).toMatchObject({
        retryStatus: i % 3 === 0 ? 'retry-failed' : 'retry-succeeded',
        category: i % 3 === 0 ? 'non-retryable' : 'retryable',
        manualAttempts: 1,
      });
    }
    expect(await db.store.summarize({})).toEqual({
      total: 30,
      retryable: 20,
      nonRetryable: 10,
      businessLogic: 0,
    });
    expect(
      await db.store.summarize({ retryStatus: ['retry-succeeded'] }),
    ).toMatchObject({ total: 20 });
    expect(
      await db.store.summarize({
        retryStatus: ['retrying', 'never-retried'],
      }),
    ).toMatchObject({ total: 0 });
  });

  it('records the outcome and releases the message', async () => {
    const [report] = await db.store.insertMessages([newMessage()]);
    const attempt = (await claimNow(report.id, 'automatic'))!;
    await db.store.finishAttempt({
      attemptId: attempt.id,
      claimToken: attempt.claimToken,
      messageId: report.id,
      now: new Date('2026-11-25T10:00:02Z'),
      outcome: 'failed',
      error: {
        code: '131026',
        title: 'Message undeliverable',
        message: null,
        details: null,
      },
      providerMessageId: null,
      message: {
        retryStatus: 'retry-failed',
        error: {
          code: '131026',
          title: 'Message undeliverable',
          message: null,
          details: null,
        },
        category: 'non-retryable',
        nextAutomaticRetryAt: null,
      },
    });
    expect(await db.store.getMessage(report.id)).toMatchObject({
      retryStatus: 'retry-failed',
      category: 'non-retryable',
      automaticAttempts: 1,
      error: { code: '131026' },
    });
    expect(await db.store.listAttempts(report.id)).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        finishedAt: '2026-11-25T10:00:02.000Z',
        error: expect.objectContaining({ code: '131026' }),
      }),
    ]);
    // The next claim gets the next attempt number.
    const next = await claimNow(report.id);
    expect(next?.attemptNumber).toBe(2);
  });

  it('searches the error a failed retry left, not the one before', async () => {
    const [report] = await db.store.insertMessages([newMessage()]);
    const attempt = (await claimNow(report.id, 'automatic'))!;
    const found = async (q: string) =>
      (await db.store.listMessages(listQuery({ filter: { q } }))).items.map(
        message => message.id,
      );
    expect(await found('rate limit hit')).toEqual([report.id]);
    const error = {
      code: '131026',
      title: 'Message undeliverable',
      message: null,
      details: null,
    };
    await db.store.finishAttempt({
      attemptId: attempt.id,
      claimToken: attempt.claimToken,
      messageId: report.id,
      now: new Date('2026-11-25T10:00:02Z'),
      outcome: 'failed',
      error,
      providerMessageId: null,
      message: {
        retryStatus: 'retry-failed',
        error,
        category: 'non-retryable',
        nextAutomaticRetryAt: null,
      },
    });
    expect(await found('undeliverable')).toEqual([report.id]);
    expect(await found('131026')).toEqual([report.id]);
    expect(await found('rate limit hit')).toEqual([]);
  });

  it('gives back unsent claims, leaving recorded and lapsed ones as they are', async () => {
    const reports = await db.store.insertMessages(
      Array.from({ length: 4 }, () => newMessage({ campaign: 'give-back' })),
    );
    const before = await Promise.all(
      reports.map(async r => (await db.store.getMessage(r.id))!),
    );
    const claims = await Promise.all(
      reports.map(r => claimOf(r.id, 'automatic')),
    );
    // The second claim's lease is short, so it lapses on its own.
    claims[1].leaseUntil = new Date(now.getTime() + 1_000);
    const attempts = await db.store.claimAttempts(claims);
    expect(attempts.map(a => a?.attemptNumber)).toEqual([1, 1, 1, 1]);
    await db.store.finishAttempt({
      attemptId: attempts[0]!.id,
      claimToken: attempts[0]!.claimToken,
      messageId: reports[0].id,
      now,
      outcome: 'succeeded',
      error: null,
      providerMessageId: 'wamid.kept',
      message: {
        retryStatus: 'retry-succeeded',
        nextAutomaticRetryAt: null,
      },
    });
    expect(await db.store.expireLeases(new Date(now.getTime() + 30_000))).toBe(
      1,
    );

    await db.store.releaseClaims(
      reports.map((_, i) => ({
        attemptId: attempts[i]!.id,
        claimToken: attempts[i]!.claimToken,
        message: before[i],
        now,
      })),
    );

    expect(await db.store.getMessage(reports[0].id)).toMatchObject({
      retryStatus: 'retry-succeeded',
      automaticAttempts: 1,
    });
    expect(await db.store.getMessage(reports[1].id)).toMatchObject({
      retryStatus: 'outcome-unknown',
      automaticAttempts: 1,
    });
    for (const i of [2, 3]) {
      expect(await db.store.getMessage(reports[i].id)).toMatchObject({
        retryStatus: 'never-retried',
        automaticAttempts: 0,
        manualAttempts: 0,
        lastAttemptAt: null,
      });
      expect(await db.store.listAttempts(reports[i].id)).toEqual([]);
    }
    expect(
      (await db.store.listAttempts(reports[0].id)).map(a => a.outcome),
    ).toEqual(['succeeded']);
    const counted = (retryStatus: RetryStatus) =>
      db.store
        .summarize({ campaign: 'give-back', retryStatus: [retryStatus] })
        .then(summary => summary.total);
    expect(await counted('never-retried')).toBe(2);
    expect(await counted('retrying')).toBe(0);
    expect(await counted('outcome-unknown')).toBe(1);
    // A message given back is claimed again from its first attempt.
    expect((await claimNow(reports[2].id))?.attemptNumber).toBe(1);
  });

  it('turns a lapsed claim into outcome-unknown', async () => {
    const [report] = await db.store.insertMessages([newMessage()]);
    await claimNow(report.id);
    expect(await db.store.expireLeases(new Date(now.getTime() + 30_000))).toBe(
      0,
    );
    expect(await db.store.expireLeases(new Date(now.getTime() + 61_000))).toBe(
      1,
    );
    expect((await db.store.getMessage(report.id))?.retryStatus).toBe(
      'outcome-unknown',
    );
    expect((await db.store.listAttempts(report.id))[0].outcome).toBe(
      'outcome-unknown',
    );
  });

  it('turns every lapsed claim of a dead run into outcome-unknown, however many', async () => {
    const reports = await db.store.insertMessages(
      Array.from({ length: 501 }, () => newMessage({ campaign: 'dead-run' })),
    );
    await db.store.claimAttempts(
      await Promise.all(reports.map(r => claimOf(r.id, 'automatic'))),
    );
    expect(await db.store.expireLeases(new Date(now.getTime() + 61_000))).toBe(
      501,
    );
    expect(
      await db.store.summarize({
        campaign: 'dead-run',
        retryStatus: ['outcome-unknown'],
      }),
    ).toMatchObject({ total: 501 });
    const [{ unfinished }] = await db
      .knex('failed_message_attempts')
      .whereIn(
        'message_id',
        reports.map(r => r.id),
      )
      .whereNot('outcome', 'outcome-unknown')
      .count({ unfinished: '*' });
    expect(Number(unfinished)).toBe(0);
  });

  it('finds a resend by its provider message id', async () => {
    const [report] = await db.store.insertMessages([newMessage()]);
    const attempt = (await claimNow(report.id))!;
    await db.store.finishAttempt({
      attemptId: attempt.id,
      claimToken: attempt.claimToken,
      messageId: report.id,
      now,
      outcome: 'succeeded',
      error: null,
      providerMessageId: 'wamid.resend.1',
      message: {
        retryStatus: 'retry-succeeded',
        nextAutomaticRetryAt: null,
      },
    });
    const found = await db.store.findAttemptsByProviderMessageIds([
      'wamid.resend.1',
      'wamid.other',
    ]);
    expect(found.get('wamid.resend.1')).toEqual({
      messageId: report.id,
      claimToken: attempt.claimToken,
      attempt: expect.objectContaining({
        id: attempt.id,
        outcome: 'succeeded',
      }),
    });
    expect(found.get('wamid.other')).toBeUndefined();
    expect(
      await db.store.findExistingMessageIds([report.id, 'no-such-message']),
    ).toEqual(new Set([report.id]));
  });
});

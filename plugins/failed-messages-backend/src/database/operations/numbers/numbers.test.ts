import { newMessage } from '../../../__testUtils__/messages';
import { describeStore, listQuery } from '../../__testUtils__/testStore';

const SUPPORT_DE = {
  phoneNumberId: '1065001',
  displayPhoneNumber: '+49 30 1234',
};
const SALES_US = { phoneNumberId: '2065001', displayPhoneNumber: null };

describeStore('business numbers', db => {
  async function seed() {
    return db.store.insertMessages([
      newMessage({ businessNumber: SUPPORT_DE }),
      newMessage({
        businessNumber: SUPPORT_DE,
        failedAt: new Date('2026-10-02T08:00:00Z'),
        category: 'non-retryable',
      }),
      newMessage({ businessNumber: SALES_US }),
      newMessage({ businessNumber: null }),
    ]);
  }

  it('keeps the number a message was sent from, without a label', async () => {
    const [de, , us, none] = await seed();
    expect((await db.store.getMessage(de.id))?.businessNumber).toEqual({
      ...SUPPORT_DE,
      label: null,
    });
    expect((await db.store.getMessage(us.id))?.businessNumber).toEqual({
      ...SALES_US,
      label: null,
    });
    expect((await db.store.getMessage(none.id))?.businessNumber).toBeNull();
  });

  it('lists, counts and exports only the chosen numbers', async () => {
    const [de1, de2, us] = await seed();
    const ids = async (phoneNumberId: string[]) =>
      (
        await db.store.listMessages(listQuery({ filter: { phoneNumberId } }))
      ).items
        .map(message => message.id)
        .sort();

    expect(await ids([SUPPORT_DE.phoneNumberId])).toEqual(
      [de1.id, de2.id].sort(),
    );
    expect(
      await ids([SUPPORT_DE.phoneNumberId, SALES_US.phoneNumberId]),
    ).toEqual([de1.id, de2.id, us.id].sort());

    // From the counts (whole months and days) and from the rows (a partial day).
    for (const window of [
      {},
      { from: new Date('2026-10-01T00:00:00Z') },
      {
        from: new Date('2026-10-02T07:30:00Z'),
        to: new Date('2026-11-20T10:30:00Z'),
      },
    ]) {
      const summary = await db.store.summarize({
        ...window,
        phoneNumberId: [SUPPORT_DE.phoneNumberId],
      });
      expect(summary.total).toBe(2);
      expect(summary.retryable).toBe(1);
      expect(summary.nonRetryable).toBe(1);
    }
    expect(
      (await db.store.summarize({ phoneNumberId: [SALES_US.phoneNumberId] }))
        .total,
    ).toBe(1);
    expect((await db.store.summarize({})).total).toBe(4);

    const exported = [];
    for await (const message of db.store.streamMessages({
      phoneNumberId: [SALES_US.phoneNumberId],
    })) {
      exported.push(message.id);
    }
    expect(exported).toEqual([us.id]);
  });

  it('keeps the counts per number right through a claim and its finish', async () => {
    const [de] = await seed();
    const [candidate] = await db.store.getRetryCandidates([de.id]);
    const now = new Date('2026-11-21T10:00:00Z');
    const [claimed] = await db.store.claimAttempts([
      {
        message: candidate.message,
        trigger: 'manual',
        actor: 'user:default/ada',
        forced: false,
        reason: null,
        bulkRetryId: null,
        now,
        leaseUntil: new Date(now.getTime() + 60_000),
      },
    ]);
    const counted = async () =>
      db.store.summarize({ phoneNumberId: [SUPPORT_DE.phoneNumberId] });
    expect((await counted()).total).toBe(2);
    await db.store.finishAttempt({
      attemptId: claimed!.id,
      claimToken: claimed!.claimToken,
      messageId: de.id,
      now,
      outcome: 'succeeded',
      error: null,
      providerMessageId: 'wamid.R1',
      message: { retryStatus: 'retry-succeeded', nextAutomaticRetryAt: null },
    });
    const summary = await counted();
    expect(summary.total).toBe(2);
    expect(
      (
        await db.store.summarize({
          phoneNumberId: [SUPPORT_DE.phoneNumberId],
          retryStatus: ['retry-succeeded'],
        })
      ).total,
    ).toBe(1);
  });
});

describeStore('send slots', db => {
  it('hands out blocks of a number one after another, never overlapping', async () => {
    const request = { key: '1065001', count: 5, spacingMs: 10, burstMs: 0 };
    const first = await db.store.reserveSendSlots(request);
    const second = await db.store.reserveSendSlots(request);
    const other = await db.store.reserveSendSlots({
      ...request,
      key: '2065001',
    });

    // The first block starts now; the next one where it ends.
    expect(Math.abs(first.firstAtMs - first.nowMs)).toBeLessThan(5);
    expect(second.firstAtMs).toBeCloseTo(first.firstAtMs + 50, 6);
    // Another number has a timeline of its own.
    expect(Math.abs(other.firstAtMs - other.nowMs)).toBeLessThan(5);
  });

  it('lets a block start up to the burst before now after a quiet spell, never before the last block ended', async () => {
    const request = { key: '1065001', count: 1, spacingMs: 1, burstMs: 100 };
    const first = await db.store.reserveSendSlots(request);
    await new Promise(resolve => setTimeout(resolve, 50));
    const soon = await db.store.reserveSendSlots(request);
    expect(soon.firstAtMs).toBeCloseTo(first.firstAtMs + 1, 6);

    await new Promise(resolve => setTimeout(resolve, 250));
    const later = await db.store.reserveSendSlots(request);
    expect(later.nowMs - later.firstAtMs).toBeCloseTo(100, 6);
  });
});

describeStore('account pauses', db => {
  it('pauses an account once, lists it, and resumes one or all', async () => {
    const since = new Date('2026-12-03T06:00:00Z');
    await db.store.pauseAccount({
      account: 'eu-main',
      reason: 'Access token expired',
      code: '190',
      since,
    });
    // A second report of the trouble keeps when it began.
    await db.store.pauseAccount({
      account: 'eu-main',
      reason: 'Access token expired',
      code: '190',
      since: new Date('2026-12-03T07:00:00Z'),
    });
    await db.store.pauseAccount({
      account: 'us-brand',
      reason: 'Account locked',
      code: '131031',
      since: new Date('2026-12-03T06:30:00Z'),
    });
    expect(await db.store.listAccountPauses()).toEqual([
      {
        account: 'eu-main',
        reason: 'Access token expired',
        code: '190',
        since: '2026-12-03T06:00:00.000Z',
      },
      {
        account: 'us-brand',
        reason: 'Account locked',
        code: '131031',
        since: '2026-12-03T06:30:00.000Z',
      },
    ]);

    expect(await db.store.resumeAccounts(['us-brand', 'other'])).toEqual([
      'us-brand',
    ]);
    expect((await db.store.listAccountPauses()).map(p => p.account)).toEqual([
      'eu-main',
    ]);
    expect(await db.store.resumeAccounts('all')).toEqual(['eu-main']);
    expect(await db.store.listAccountPauses()).toEqual([]);
  });
});

import { newMessage } from '../../../__testUtils__/messages';
import { describeStore } from '../../__testUtils__/testStore';

describeStore('retry candidates', db => {
  it('knows when a newer message with the same template was delivered', async () => {
    const [older, newer] = await db.store.insertMessages([
      newMessage({ failedAt: new Date('2026-11-20T10:00:00Z') }),
      newMessage({ failedAt: new Date('2026-11-21T10:00:00Z') }),
      newMessage({
        failedAt: new Date('2026-11-22T10:00:00Z'),
        templateName: 'other',
      }),
    ]);
    const newerDelivered = async (messageId: string) =>
      (await db.store.getRetryCandidates([messageId]))[0].newerDelivered;
    expect(await newerDelivered(older.id)).toBe(false);
    await db
      .knex('failed_messages')
      .where('id', newer.id)
      .update({ resolved_at: new Date('2026-11-21T11:00:00Z') });
    expect(await newerDelivered(older.id)).toBe(true);
    expect(await newerDelivered(newer.id)).toBe(false);

    // A stream of candidates says the same, chunk by chunk.
    const candidates = new Map<string, boolean>();
    for await (const candidate of db.store.streamRetryCandidates({}, 2)) {
      candidates.set(candidate.message.id, candidate.newerDelivered);
    }
    expect(candidates.get(older.id)).toBe(true);
    expect(candidates.get(newer.id)).toBe(false);

    // So do messages read by id.
    const byId = await db.store.getRetryCandidates([
      older.id,
      newer.id,
      'no-such-id',
    ]);
    expect(new Map(byId.map(c => [c.message.id, c.newerDelivered]))).toEqual(
      new Map([
        [older.id, true],
        [newer.id, false],
      ]),
    );
    const [{ n }] = await db.knex('failed_messages').count('* as n');
    expect(candidates.size).toBe(Number(n));
  });

  it('lists the messages due for the automatic run page by page, ties included', async () => {
    const due = new Date('2026-11-25T10:00:00Z');
    const reports = await db.store.insertMessages([
      ...Array.from({ length: 5 }, () =>
        newMessage({ nextAutomaticRetryAt: due }),
      ),
      newMessage({ nextAutomaticRetryAt: new Date('2026-11-25T09:00:00Z') }),
      // Not due yet, content unknown, not retryable, out of attempts.
      newMessage({ nextAutomaticRetryAt: new Date('2026-11-25T11:00:00Z') }),
      newMessage({ nextAutomaticRetryAt: due, payload: null }),
      newMessage({ nextAutomaticRetryAt: due, category: 'non-retryable' }),
      newMessage({ nextAutomaticRetryAt: due, externalId: 'spent' }),
    ]);
    await db
      .knex('failed_messages')
      .where('external_id', 'spent')
      .update({ automatic_attempts: 3 });

    const listed: string[] = [];
    let after: { nextAutomaticRetryAt: string; id: string } | undefined;
    for (;;) {
      const page = await db.store.listDueForAutomaticRetry({
        now: new Date('2026-11-25T10:30:00Z'),
        maxAttempts: 3,
        limit: 2,
        after,
      });
      if (!page.length) break;
      listed.push(...page.map(candidate => candidate.message.id));
      const { message } = page[page.length - 1];
      after = {
        nextAutomaticRetryAt: message.nextAutomaticRetryAt!,
        id: message.id,
      };
    }
    // The earliest due first; the five due at the same time each once.
    expect(listed).toHaveLength(6);
    expect(listed[0]).toBe(reports[5].id);
    expect(new Set(listed)).toEqual(
      new Set(reports.slice(0, 6).map(report => report.id)),
    );
  });
});

import { newMessage } from '../__testUtils__/messages';
import { describeStore, listQuery } from './__testUtils__/testStore';
import { AttemptFinish, MessageQueryFilter } from './types';
import { rebuildCounts } from './messageCounts';

describeStore('message counts', db => {
  // Shared by the totals and monthly counts: messages spread over time and
  // a direct count on failed_messages as the oracle for the totals.
  const hour = 60 * 60 * 1000;
  const codes = [
    ['130429', 'retryable'],
    ['131026', 'non-retryable'],
    ['131049', 'business-logic'],
  ] as const;

  /** `count` messages from `start`, one every `stepHours`, codes and campaigns mixed. */
  function spreadMessages(count: number, start: number, stepHours: number) {
    return Array.from({ length: count }, (_, i) => {
      const [code, category] = codes[i % 3];
      return newMessage({
        failedAt: new Date(start + i * stepHours * hour),
        campaign: i % 4 === 0 ? null : `campaign-${i % 2}`,
        error: { code, title: null, message: null, details: null },
        category,
      });
    });
  }

  /** Claims the i-th of a run of messages at `now`; every fifth lease has lapsed. */
  async function claimInRun(messageId: string, i: number, now: Date) {
    const [attempt] = await db.store.claimAttempts([
      {
        message: (await db.store.getMessage(messageId))!,
        trigger: 'manual',
        actor: null,
        forced: false,
        reason: null,
        bulkRetryId: null,
        now,
        leaseUntil: new Date(now.getTime() + (i % 5 === 0 ? -1 : hour)),
      },
    ]);
    return attempt;
  }

  /** How the i-th of a run ends: odd ones delivered as `prefix.i`, even ones failed for good. */
  function outcomeInRun(
    i: number,
    prefix: string,
  ): Pick<
    AttemptFinish,
    'outcome' | 'error' | 'providerMessageId' | 'message'
  > {
    return {
      outcome: i % 2 ? 'succeeded' : 'failed',
      error: null,
      providerMessageId: i % 2 ? `${prefix}.${i}` : null,
      message:
        i % 2
          ? { retryStatus: 'retry-succeeded', nextAutomaticRetryAt: null }
          : {
              retryStatus: 'retry-failed',
              error: {
                code: '131026',
                title: null,
                message: null,
                details: null,
              },
              category: 'non-retryable',
              nextAutomaticRetryAt: null,
            },
    };
  }

  /** Counts straight from failed_messages: the oracle for the totals. */
  async function countDirectly(filter: MessageQueryFilter) {
    const query = db.knex('failed_messages');
    if (filter.from) query.where('failed_at', '>=', filter.from);
    if (filter.to) query.where('failed_at', '<=', filter.to);
    if (filter.category) query.whereIn('category', filter.category);
    if (filter.errorCode) query.whereIn('error_code', filter.errorCode);
    if (filter.retryStatus) query.whereIn('retry_status', filter.retryStatus);
    if (filter.campaign) query.where('campaign', filter.campaign);
    const [{ count }] = await query.count({ count: '*' });
    return Number(count);
  }

  /** The listed and summarized totals equal a direct count, per filter. */
  async function expectTotalsToMatchDirectCounts(
    filters: MessageQueryFilter[],
  ) {
    for (const filter of filters) {
      const expected = await countDirectly(filter);
      const { totalCount } = await db.store.listMessages(listQuery({ filter }));
      const summary = await db.store.summarize(filter);
      expect({ filter, totalCount, total: summary.total }).toEqual({
        filter,
        totalCount: expected,
        total: expected,
      });
    }
  }

  describe('totals', () => {
    const base = new Date('2026-11-20T00:00:00Z').getTime();

    it('match a direct count for every filter and time window, through retries', async () => {
      // 90 messages, one every 7 hours: several a day, across day boundaries.
      const reports = await db.store.insertMessages(
        spreadMessages(90, base, 7),
      );
      // Move some through claims, outcomes, lapsed leases and deliveries.
      for (const [i, report] of reports.slice(0, 20).entries()) {
        const attempt = (await claimInRun(report.id, i, new Date(base)))!;
        if (i % 5 === 0) continue;
        await db.store.finishAttempt({
          attemptId: attempt.id,
          claimToken: attempt.claimToken,
          messageId: report.id,
          now: new Date(base),
          ...outcomeInRun(i, 'wamid.totals'),
        });
      }
      await db.store.expireLeases(new Date(base));
      // The second one's resend was delivered.
      await db.store.resolveMessage(reports[1].id, new Date(base));

      const at = (hours: number) => new Date(base + hours * hour);
      const filters: MessageQueryFilter[] = [
        {},
        { from: at(5) },
        { to: at(100) },
        { from: at(5), to: at(100) },
        { from: at(24), to: new Date(base + 72 * hour - 1) },
        { from: at(30), to: at(40) },
        { from: at(-100), to: at(1000) },
        { category: ['non-retryable'] },
        { errorCode: ['131049', '130429'], from: at(13) },
        { retryStatus: ['retrying', 'outcome-unknown'] },
        { retryStatus: ['retry-succeeded', 'retry-failed'], to: at(50) },
        { campaign: 'campaign-1', from: at(3), to: at(500) },
      ];
      await expectTotalsToMatchDirectCounts(filters);
      expect(await countDirectly({ retryStatus: ['outcome-unknown'] })).toBe(4);
    });
  });

  describe('monthly counts', () => {
    const start = new Date('2026-09-20T05:00:00Z').getTime();

    /** A key's count per level, with the zero counts left out. */
    async function storedCounts(table: string, period: string) {
      const rows: Record<string, string>[] = await db
        .knex(table)
        .select(period, 'category', 'error_code', 'retry_status', 'campaign')
        .sum({ count: 'count' })
        .groupBy(period, 'category', 'error_code', 'retry_status', 'campaign');
      return Object.fromEntries(
        rows
          .filter(row => Number(row.count) !== 0)
          .map(row => [
            [
              row[period],
              row.category,
              row.error_code,
              row.retry_status,
              row.campaign,
            ].join('|'),
            Number(row.count),
          ]),
      );
    }

    /** The same keys counted on failed_messages: the oracle. */
    async function countedOnMessages(periodLength: number) {
      const counts: Record<string, number> = {};
      const rows = await db
        .knex('failed_messages')
        .select(
          'failed_at',
          'category',
          'error_code',
          'retry_status',
          'campaign',
        );
      for (const row of rows) {
        const period = new Date(
          typeof row.failed_at === 'string' && /^\d+$/.test(row.failed_at)
            ? Number(row.failed_at)
            : row.failed_at,
        )
          .toISOString()
          .slice(0, periodLength);
        const key = [
          period,
          row.category,
          row.error_code,
          row.retry_status,
          row.campaign ?? '',
        ].join('|');
        counts[key] = (counts[key] ?? 0) + 1;
      }
      return counts;
    }

    async function expectExactCounts() {
      expect(
        await storedCounts('failed_message_month_counts', 'failed_month'),
      ).toEqual(await countedOnMessages(7));
      expect(await storedCounts('failed_message_counts', 'failed_day')).toEqual(
        await countedOnMessages(10),
      );
    }

    async function expectExactTotals() {
      const at = (iso: string) => new Date(iso);
      const filters: MessageQueryFilter[] = [
        {},
        { from: at('2026-10-01T00:00:00Z') },
        { to: at('2026-11-30T23:59:59.999Z') },
        {
          from: at('2026-10-01T00:00:00Z'),
          to: at('2026-11-30T23:59:59.999Z'),
        },
        { from: at('2026-10-15T10:30:00Z') },
        { to: at('2026-12-03T05:00:00Z') },
        { from: at('2026-09-30T23:00:00Z'), to: at('2026-11-01T00:30:00Z') },
        { from: at('2026-09-25T00:00:00Z'), to: at('2026-12-01T00:00:00Z') },
        { from: at('2026-11-03T12:00:00Z'), to: at('2026-11-20T12:00:00Z') },
        { from: at('2026-12-15T07:00:00Z'), to: at('2027-01-10T00:00:00Z') },
        {
          from: at('2026-10-31T00:00:00Z'),
          to: at('2026-11-01T23:59:59.999Z'),
        },
        { category: ['non-retryable'], from: at('2026-09-29T00:00:00Z') },
        {
          retryStatus: ['retrying', 'retry-failed'],
          to: at('2027-01-01T00:00:00Z'),
        },
        {
          campaign: 'campaign-1',
          from: at('2026-10-02T03:00:00Z'),
          to: at('2027-01-31T00:00:00Z'),
        },
      ];
      await expectTotalsToMatchDirectCounts(filters);
    }

    it('equal a count on failed_messages through inserts, retries, status changes, retention and compaction, across month boundaries', async () => {
      // 100 messages, one every 31 hours: September 2026 to January 2027.
      const reports = await db.store.insertMessages(
        spreadMessages(100, start, 31),
      );
      await expectExactCounts();
      await expectExactTotals();

      // Concurrent claims, so PostgreSQL moves several counts per statement.
      const now = new Date('2027-02-01T00:00:00Z');
      const claimed = await Promise.all(
        reports.slice(0, 40).map((report, i) => claimInRun(report.id, i, now)),
      );
      await expectExactCounts();
      await Promise.all(
        claimed.map((attempt, i) =>
          i % 5 === 0
            ? undefined
            : db.store.finishAttempt({
                attemptId: attempt!.id,
                claimToken: attempt!.claimToken,
                messageId: reports[i].id,
                now,
                ...outcomeInRun(i, 'wamid.months'),
              }),
        ),
      );
      await expectExactCounts();
      await db.store.expireLeases(now);
      await db.store.resolveMessage(reports[1].id, now);
      await expectExactCounts();
      await expectExactTotals();

      // Retention takes September and most of October.
      expect(
        await db.store.deleteMessagesFailedBefore(
          new Date('2026-10-20T00:00:00Z'),
        ),
      ).toBeGreaterThan(0);
      await expectExactCounts();
      await expectExactTotals();

      expect(await db.store.compactCounts()).toBeGreaterThan(0);
      await expectExactCounts();
      await expectExactTotals();
      // One row per month and key once compacted.
      const [{ rows, keys }] = await db.knex
        .from(
          db
            .knex('failed_message_month_counts')
            .select(
              'failed_month',
              'category',
              'error_code',
              'retry_status',
              'campaign',
            )
            .count({ n: '*' })
            .groupBy(
              'failed_month',
              'category',
              'error_code',
              'retry_status',
              'campaign',
            )
            .as('k'),
        )
        .sum({ rows: 'n' })
        .count({ keys: '*' });
      expect(Number(rows)).toBe(Number(keys));

      await rebuildCounts(db.knex);
      await expectExactCounts();
      await expectExactTotals();
    });
  });
});

import { resolve } from 'node:path';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { RetryStatus } from '@internal/plugin-failed-messages-common';
import {
  createTestDatabases,
  recordDatabaseRun,
} from '../__testUtils__/databases';
import { newMessage } from '../__testUtils__/messages';
import {
  AttemptFinish,
  MessageListQuery,
  MessageQueryFilter,
} from './FailedMessageStore';
import {
  applyDatabaseMigrations,
  KnexFailedMessageStore,
} from './KnexFailedMessageStore';
import { rebuildCounts } from './messageCounts';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const listQuery = (
  overrides: Partial<MessageListQuery> = {},
): MessageListQuery => ({
  filter: {},
  sort: 'failedAt',
  order: 'desc',
  limit: 50,
  offset: 0,
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'KnexFailedMessageStore on %s',
  id => {
    let knex: Knex;
    let store: KnexFailedMessageStore;

    beforeAll(async () => {
      knex = await databases.init(id as TestDatabaseId);
      recordDatabaseRun(id as TestDatabaseId);
      await applyDatabaseMigrations(knex);
      store = new KnexFailedMessageStore(knex);
    });

    beforeEach(async () => {
      await knex('failed_message_attempts').delete();
      await knex('failed_messages').delete();
      await knex('failed_message_counts').delete();
      await knex('failed_message_month_counts').delete();
    });

    it('stores a message and reads back every field', async () => {
      const [report] = await store.insertMessages([
        newMessage({
          externalId: 'wamid.1',
          nextAutomaticRetryAt: new Date('2026-11-20T10:01:00Z'),
        }),
      ]);
      expect(report.created).toBe(true);

      const stored = await store.getMessage(report.id);
      expect(stored).toEqual({
        id: report.id,
        channel: 'whatsapp',
        externalId: 'wamid.1',
        recipient: '+16505551234',
        campaign: 'order-updates',
        templateName: 'order_update',
        payload: { messaging_product: 'whatsapp', to: '+16505551234' },
        error: {
          code: '130429',
          title: 'Rate limit hit',
          message: '(#130429) Rate limit hit',
          details: null,
        },
        category: 'retryable',
        retryStatus: 'never-retried',
        automaticAttempts: 0,
        manualAttempts: 0,
        nextAutomaticRetryAt: '2026-11-20T10:01:00.000Z',
        failedAt: '2026-11-20T10:00:00.000Z',
        lastAttemptAt: null,
        resolvedAt: null,
      });
      expect(await store.getMessage('no-such-id')).toBeUndefined();
    });

    it('returns the existing record for a repeated channel and external id', async () => {
      const [first] = await store.insertMessages([
        newMessage({ externalId: 'wamid.dup' }),
      ]);
      const again = await store.insertMessages([
        newMessage({ externalId: 'wamid.dup', recipient: '+10000000000' }),
        newMessage({ externalId: 'wamid.new' }),
        newMessage({ externalId: 'wamid.new' }),
        newMessage({ externalId: null }),
        newMessage({ externalId: null }),
      ]);
      expect(again[0]).toEqual({
        id: first.id,
        category: 'retryable',
        created: false,
      });
      expect(again[1].created).toBe(true);
      expect(again[2]).toEqual({ ...again[1], created: false });
      expect(again[3].created && again[4].created).toBe(true);
      expect(again[3].id).not.toBe(again[4].id);

      const page = await store.listMessages(listQuery());
      expect(page.totalCount).toBe(4);
      expect((await store.getMessage(first.id))?.recipient).toBe(
        '+16505551234',
      );
    });

    it('stores a batch of 1,000 in one call', async () => {
      const reports = await store.insertMessages(
        Array.from({ length: 1000 }, (_, i) =>
          newMessage({ externalId: `wamid.batch.${i}` }),
        ),
      );
      expect(new Set(reports.map(r => r.id)).size).toBe(1000);
      expect((await store.summarize({})).total).toBe(1000);
    });

    describe('with a mixed set of messages', () => {
      beforeEach(async () => {
        await store.insertMessages([
          newMessage({
            externalId: 'a',
            failedAt: new Date('2026-11-25T10:00:00Z'),
            nextAutomaticRetryAt: new Date('2026-11-25T10:01:00Z'),
          }),
          newMessage({
            externalId: 'b',
            recipient: '+447700900123',
            campaign: 'black-friday',
            error: {
              code: '131050',
              title: 'User stopped marketing messages',
              message: null,
              details: null,
            },
            category: 'non-retryable',
            failedAt: new Date('2026-11-24T10:00:00Z'),
          }),
          newMessage({
            externalId: 'c',
            campaign: 'black-friday',
            templateName: 'deal_50%_off',
            error: {
              code: '131049',
              title: 'Meta chose not to deliver',
              message: null,
              details: null,
            },
            category: 'business-logic',
            failedAt: new Date('2026-11-23T10:00:00Z'),
          }),
          newMessage({
            externalId: 'd',
            failedAt: new Date('2026-10-01T10:00:00Z'),
            nextAutomaticRetryAt: new Date('2026-10-01T10:01:00Z'),
          }),
        ]);
        await knex('failed_messages')
          .where('external_id', 'd')
          .update({ retry_status: 'retry-failed', manual_attempts: 2 });
        await rebuildCounts(knex);
      });

      const externalIds = async (query: Partial<MessageListQuery>) =>
        (await store.listMessages(listQuery(query))).items.map(
          m => m.externalId,
        );

      it('sorts by failure time, newest first by default', async () => {
        expect(await externalIds({})).toEqual(['a', 'b', 'c', 'd']);
        expect(await externalIds({ order: 'asc' })).toEqual([
          'd',
          'c',
          'b',
          'a',
        ]);
      });

      it('sorts by error code, attempts and next automatic retry', async () => {
        expect(await externalIds({ sort: 'errorCode', order: 'asc' })).toEqual(
          expect.arrayContaining(['a', 'd']),
        );
        expect(
          (await externalIds({ sort: 'errorCode', order: 'asc' })).slice(2),
        ).toEqual(['c', 'b']);
        expect((await externalIds({ sort: 'attempts' }))[0]).toBe('d');
        expect(
          await externalIds({ sort: 'nextAutomaticRetryAt', order: 'asc' }),
        ).toEqual(['d', 'a', expect.any(String), expect.any(String)]);
      });

      it('filters by each filter and pages', async () => {
        expect(
          await externalIds({
            filter: { category: ['business-logic', 'non-retryable'] },
          }),
        ).toEqual(['b', 'c']);
        expect(
          await externalIds({ filter: { errorCode: ['131049'] } }),
        ).toEqual(['c']);
        expect(
          await externalIds({ filter: { retryStatus: ['retry-failed'] } }),
        ).toEqual(['d']);
        expect(
          await externalIds({ filter: { campaign: 'black-friday' } }),
        ).toEqual(['b', 'c']);
        expect(
          await externalIds({
            filter: { from: new Date('2026-11-24T00:00:00Z') },
          }),
        ).toEqual(['a', 'b']);
        expect(
          await externalIds({
            filter: {
              from: new Date('2026-11-01T00:00:00Z'),
              to: new Date('2026-11-24T10:00:00Z'),
            },
          }),
        ).toEqual(['b', 'c']);
        const page = await store.listMessages(
          listQuery({ limit: 2, offset: 1 }),
        );
        expect(page.items.map(m => m.externalId)).toEqual(['b', 'c']);
        expect(page.totalCount).toBe(4);
      });

      it('searches text case-insensitively and literally', async () => {
        expect(await externalIds({ filter: { q: '447700' } })).toEqual(['b']);
        expect(await externalIds({ filter: { q: 'MARKETING' } })).toEqual([
          'b',
        ]);
        expect(await externalIds({ filter: { q: '50%_' } })).toEqual(['c']);
        expect(await externalIds({ filter: { q: '%' } })).toEqual(['c']);
      });

      it('summarizes per category under the same filters', async () => {
        expect(await store.summarize({})).toEqual({
          total: 4,
          retryable: 2,
          nonRetryable: 1,
          businessLogic: 1,
        });
        expect(await store.summarize({ campaign: 'black-friday' })).toEqual({
          total: 2,
          retryable: 0,
          nonRetryable: 1,
          businessLogic: 1,
        });
      });

      it('streams every match newest first across chunks', async () => {
        const streamed: string[] = [];
        for await (const message of store.streamMessages({}, 3)) {
          streamed.push(message.externalId!);
        }
        expect(streamed).toEqual(['a', 'b', 'c', 'd']);
      });
    });

    it('streams rows that share a failure time without losing any', async () => {
      const failedAt = new Date('2026-11-25T00:00:00Z');
      await store.insertMessages(
        Array.from({ length: 7 }, () => newMessage({ failedAt })),
      );
      const ids = new Set<string>();
      for await (const message of store.streamMessages({}, 2)) {
        ids.add(message.id);
      }
      expect(ids.size).toBe(7);
    });

    it('resolves a message once, leaving its attempts as they are', async () => {
      const [report] = await store.insertMessages([newMessage()]);
      await knex('failed_message_attempts').insert({
        id: 'attempt-1',
        message_id: report.id,
        attempt_number: 1,
        trigger: 'manual',
        actor: 'user:default/alex-agent',
        started_at: new Date('2026-11-25T10:00:00Z'),
        finished_at: new Date('2026-11-25T10:00:01Z'),
        outcome: 'succeeded',
        provider_message_id: 'wamid.resend',
      });
      expect(await store.resolveMessage('no-such-id', new Date())).toBe(false);
      expect(
        await store.resolveMessage(report.id, new Date('2026-11-25T10:05:00Z')),
      ).toBe(true);
      // A later status of the same message changes nothing.
      expect(
        await store.resolveMessage(report.id, new Date('2026-11-25T10:06:00Z')),
      ).toBe(false);
      const message = await store.getMessage(report.id);
      expect(message?.resolvedAt).toBe('2026-11-25T10:05:00.000Z');
      expect(message?.retryStatus).toBe('retry-succeeded');
      expect(await store.listAttempts(report.id)).toEqual([
        {
          id: 'attempt-1',
          attemptNumber: 1,
          trigger: 'manual',
          actor: 'user:default/alex-agent',
          startedAt: '2026-11-25T10:00:00.000Z',
          finishedAt: '2026-11-25T10:00:01.000Z',
          outcome: 'succeeded',
          error: null,
          providerMessageId: 'wamid.resend',
        },
      ]);
    });

    describe('retry claims', () => {
      const now = new Date('2026-11-25T10:00:00Z');
      const claimOf = async (
        messageId: string,
        trigger: 'manual' | 'automatic' = 'manual',
      ) => ({
        message: (await store.getMessage(messageId))!,
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
        const [attempt] = await store.claimAttempts([
          await claimOf(messageId, trigger),
        ]);
        return attempt;
      };

      it('lets exactly one of many racing claims win and counts the attempt', async () => {
        const [report] = await store.insertMessages([newMessage()]);
        const claim = await claimOf(report.id);
        const results = await Promise.all(
          Array.from({ length: 10 }, () => store.claimAttempts([claim])),
        );
        const won = results.flat().filter(Boolean);
        expect(won).toHaveLength(1);
        expect(won[0]).toMatchObject({
          attemptNumber: 1,
          trigger: 'manual',
          outcome: 'in-progress',
        });
        expect(await store.getMessage(report.id)).toMatchObject({
          retryStatus: 'retrying',
          manualAttempts: 1,
          lastAttemptAt: now.toISOString(),
        });
        // A claim built from the message as it was before is stale now.
        expect(await store.claimAttempts([claim])).toEqual([undefined]);
      });

      it('claims and finishes many messages at once, each counted where it ends', async () => {
        const reports = await store.insertMessages(
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
            [...claims, ...claims].map(claim => store.claimAttempts([claim])),
          )
        ).flat();
        expect(results.filter(Boolean)).toHaveLength(30);
        const attempts = reports.map(
          (_, i) => (results[i] ?? results[i + 30])!,
        );

        await Promise.all(
          reports.map((report, i) =>
            store.finishAttempt({
              attemptId: attempts[i].id,
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
          const [attempt] = await store.listAttempts(report.id);
          expect(attempt.outcome).toBe(i % 3 === 0 ? 'failed' : 'succeeded');
          expect(await store.getMessage(report.id)).toMatchObject({
            retryStatus: i % 3 === 0 ? 'retry-failed' : 'retry-succeeded',
            category: i % 3 === 0 ? 'non-retryable' : 'retryable',
            manualAttempts: 1,
          });
        }
        expect(await store.summarize({})).toEqual({
          total: 30,
          retryable: 20,
          nonRetryable: 10,
          businessLogic: 0,
        });
        expect(
          await store.summarize({ retryStatus: ['retry-succeeded'] }),
        ).toMatchObject({ total: 20 });
        expect(
          await store.summarize({
            retryStatus: ['retrying', 'never-retried'],
          }),
        ).toMatchObject({ total: 0 });
      });

      it('records the outcome and releases the message', async () => {
        const [report] = await store.insertMessages([newMessage()]);
        const attempt = (await claimNow(report.id, 'automatic'))!;
        await store.finishAttempt({
          attemptId: attempt.id,
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
        expect(await store.getMessage(report.id)).toMatchObject({
          retryStatus: 'retry-failed',
          category: 'non-retryable',
          automaticAttempts: 1,
          error: { code: '131026' },
        });
        expect(await store.listAttempts(report.id)).toEqual([
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
        const [report] = await store.insertMessages([newMessage()]);
        const attempt = (await claimNow(report.id, 'automatic'))!;
        const found = async (q: string) =>
          (await store.listMessages(listQuery({ filter: { q } }))).items.map(
            message => message.id,
          );
        expect(await found('rate limit hit')).toEqual([report.id]);
        const error = {
          code: '131026',
          title: 'Message undeliverable',
          message: null,
          details: null,
        };
        await store.finishAttempt({
          attemptId: attempt.id,
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
        const reports = await store.insertMessages(
          Array.from({ length: 4 }, () =>
            newMessage({ campaign: 'give-back' }),
          ),
        );
        const before = await Promise.all(
          reports.map(async r => (await store.getMessage(r.id))!),
        );
        const claims = await Promise.all(
          reports.map(r => claimOf(r.id, 'automatic')),
        );
        // The second claim's lease is short, so it lapses on its own.
        claims[1].leaseUntil = new Date(now.getTime() + 1_000);
        const attempts = await store.claimAttempts(claims);
        expect(attempts.map(a => a?.attemptNumber)).toEqual([1, 1, 1, 1]);
        await store.finishAttempt({
          attemptId: attempts[0]!.id,
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
        expect(await store.expireLeases(new Date(now.getTime() + 30_000))).toBe(
          1,
        );

        await store.releaseClaims(
          reports.map((_, i) => ({
            attemptId: attempts[i]!.id,
            message: before[i],
            now,
          })),
        );

        expect(await store.getMessage(reports[0].id)).toMatchObject({
          retryStatus: 'retry-succeeded',
          automaticAttempts: 1,
        });
        expect(await store.getMessage(reports[1].id)).toMatchObject({
          retryStatus: 'outcome-unknown',
          automaticAttempts: 1,
        });
        for (const i of [2, 3]) {
          expect(await store.getMessage(reports[i].id)).toMatchObject({
            retryStatus: 'never-retried',
            automaticAttempts: 0,
            manualAttempts: 0,
            lastAttemptAt: null,
          });
          expect(await store.listAttempts(reports[i].id)).toEqual([]);
        }
        expect(
          (await store.listAttempts(reports[0].id)).map(a => a.outcome),
        ).toEqual(['succeeded']);
        const counted = (retryStatus: RetryStatus) =>
          store
            .summarize({ campaign: 'give-back', retryStatus: [retryStatus] })
            .then(summary => summary.total);
        expect(await counted('never-retried')).toBe(2);
        expect(await counted('retrying')).toBe(0);
        expect(await counted('outcome-unknown')).toBe(1);
        // A message given back is claimed again from its first attempt.
        expect((await claimNow(reports[2].id))?.attemptNumber).toBe(1);
      });

      it('turns a lapsed claim into outcome-unknown', async () => {
        const [report] = await store.insertMessages([newMessage()]);
        await claimNow(report.id);
        expect(await store.expireLeases(new Date(now.getTime() + 30_000))).toBe(
          0,
        );
        expect(await store.expireLeases(new Date(now.getTime() + 61_000))).toBe(
          1,
        );
        expect((await store.getMessage(report.id))?.retryStatus).toBe(
          'outcome-unknown',
        );
        expect((await store.listAttempts(report.id))[0].outcome).toBe(
          'outcome-unknown',
        );
      });

      it('turns every lapsed claim of a dead run into outcome-unknown, however many', async () => {
        const reports = await store.insertMessages(
          Array.from({ length: 501 }, () =>
            newMessage({ campaign: 'dead-run' }),
          ),
        );
        await store.claimAttempts(
          await Promise.all(reports.map(r => claimOf(r.id, 'automatic'))),
        );
        expect(await store.expireLeases(new Date(now.getTime() + 61_000))).toBe(
          501,
        );
        expect(
          await store.summarize({
            campaign: 'dead-run',
            retryStatus: ['outcome-unknown'],
          }),
        ).toMatchObject({ total: 501 });
        const [{ unfinished }] = await knex('failed_message_attempts')
          .whereIn(
            'message_id',
            reports.map(r => r.id),
          )
          .whereNot('outcome', 'outcome-unknown')
          .count({ unfinished: '*' });
        expect(Number(unfinished)).toBe(0);
      });

      it('finds a resend by its provider message id', async () => {
        const [report] = await store.insertMessages([newMessage()]);
        const attempt = (await claimNow(report.id))!;
        await store.finishAttempt({
          attemptId: attempt.id,
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
        const found = await store.findAttemptsByProviderMessageIds([
          'wamid.resend.1',
          'wamid.other',
        ]);
        expect(found.get('wamid.resend.1')).toEqual({
          messageId: report.id,
          attempt: expect.objectContaining({
            id: attempt.id,
            outcome: 'succeeded',
          }),
        });
        expect(found.get('wamid.other')).toBeUndefined();
        expect(
          await store.findExistingMessageIds([report.id, 'no-such-message']),
        ).toEqual(new Set([report.id]));
      });
    });

    it('knows when a newer message with the same template was delivered', async () => {
      const [older, newer] = await store.insertMessages([
        newMessage({ failedAt: new Date('2026-11-20T10:00:00Z') }),
        newMessage({ failedAt: new Date('2026-11-21T10:00:00Z') }),
        newMessage({
          failedAt: new Date('2026-11-22T10:00:00Z'),
          templateName: 'other',
        }),
      ]);
      const newerDelivered = async (messageId: string) =>
        (await store.getRetryCandidates([messageId]))[0].newerDelivered;
      expect(await newerDelivered(older.id)).toBe(false);
      await knex('failed_messages')
        .where('id', newer.id)
        .update({ resolved_at: new Date('2026-11-21T11:00:00Z') });
      expect(await newerDelivered(older.id)).toBe(true);
      expect(await newerDelivered(newer.id)).toBe(false);

      // A stream of candidates says the same, chunk by chunk.
      const candidates = new Map<string, boolean>();
      for await (const candidate of store.streamRetryCandidates({}, 2)) {
        candidates.set(candidate.message.id, candidate.newerDelivered);
      }
      expect(candidates.get(older.id)).toBe(true);
      expect(candidates.get(newer.id)).toBe(false);

      // So do messages read by id.
      const byId = await store.getRetryCandidates([
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
      const [{ n }] = await knex('failed_messages').count('* as n');
      expect(candidates.size).toBe(Number(n));
    });

    describe('bulk retry items', () => {
      it('lists a page of pending items with their messages and newer deliveries', async () => {
        const [older, newer, other] = await store.insertMessages([
          newMessage({ failedAt: new Date('2026-11-20T10:00:00Z') }),
          newMessage({ failedAt: new Date('2026-11-21T10:00:00Z') }),
          newMessage({
            failedAt: new Date('2026-11-19T10:00:00Z'),
            templateName: null,
          }),
        ]);
        await knex('failed_messages')
          .where('id', newer.id)
          .update({ resolved_at: new Date('2026-11-21T11:00:00Z') });
        const bulk = await store.createBulkRetry({
          scope: { ids: [older.id, newer.id, other.id] },
          createdBy: 'user:default/ada-admin',
          reason: null,
          now: new Date(),
        });
        await knex('failed_messages').where('id', other.id).delete();

        const items = await store.listPendingBulkItems(bulk.id, 0, 10);
        // Newest first, as the run sends them.
        expect(items).toEqual([
          {
            position: 1,
            messageId: newer.id,
            message: await store.getMessage(newer.id),
            newerDelivered: false,
          },
          {
            position: 2,
            messageId: older.id,
            message: await store.getMessage(older.id),
            newerDelivered: true,
          },
          {
            position: 3,
            messageId: other.id,
            message: undefined,
            newerDelivered: false,
          },
        ]);
        expect(await store.listPendingBulkItems(bulk.id, 1, 1)).toEqual([
          items[1],
        ]);
      });

      it('records outcomes once and counts them on the run', async () => {
        const reports = await store.insertMessages(
          Array.from({ length: 5 }, () => newMessage()),
        );
        const bulk = await store.createBulkRetry({
          scope: { ids: reports.map(r => r.id) },
          createdBy: 'user:default/ada-admin',
          reason: null,
          now: new Date(),
        });
        await store.recordBulkItems(bulk.id, [
          { position: 1, outcome: 'succeeded', skipReason: null },
          { position: 2, outcome: 'outcome-unknown', skipReason: null },
          { position: 3, outcome: 'skipped', skipReason: 'Already delivered' },
        ]);
        // A repeat of an item changes nothing; a new one counts.
        await store.recordBulkItems(bulk.id, [
          { position: 1, outcome: 'failed', skipReason: null },
          { position: 4, outcome: 'failed', skipReason: null },
        ]);
        expect(await store.getBulkRetry(bulk.id)).toMatchObject({
          total: 5,
          processed: 4,
          succeeded: 1,
          failed: 2,
          skipped: 1,
        });
        const pending = await store.listPendingBulkItems(bulk.id, 0, 10);
        expect(pending.map(item => item.position)).toEqual([5]);
        expect(
          await knex('failed_message_bulk_retry_items')
            .where({ bulk_retry_id: bulk.id, position: 3 })
            .first('outcome', 'skip_reason'),
        ).toEqual({ outcome: 'skipped', skip_reason: 'Already delivered' });
      });
    });

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
      const [attempt] = await store.claimAttempts([
        {
          message: (await store.getMessage(messageId))!,
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
      const query = knex('failed_messages');
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
        const { totalCount } = await store.listMessages(listQuery({ filter }));
        const summary = await store.summarize(filter);
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
        const reports = await store.insertMessages(spreadMessages(90, base, 7));
        // Move some through claims, outcomes, lapsed leases and deliveries.
        for (const [i, report] of reports.slice(0, 20).entries()) {
          const attempt = (await claimInRun(report.id, i, new Date(base)))!;
          if (i % 5 === 0) continue;
          await store.finishAttempt({
            attemptId: attempt.id,
            messageId: report.id,
            now: new Date(base),
            ...outcomeInRun(i, 'wamid.totals'),
          });
        }
        await store.expireLeases(new Date(base));
        // The second one's resend was delivered.
        await store.resolveMessage(reports[1].id, new Date(base));

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
        expect(await countDirectly({ retryStatus: ['outcome-unknown'] })).toBe(
          4,
        );
      });
    });

    describe('monthly counts', () => {
      const start = new Date('2026-09-20T05:00:00Z').getTime();

      /** A key's count per level, with the zero counts left out. */
      async function storedCounts(table: string, period: string) {
        const rows: Record<string, string>[] = await knex(table)
          .select(period, 'category', 'error_code', 'retry_status', 'campaign')
          .sum({ count: 'count' })
          .groupBy(
            period,
            'category',
            'error_code',
            'retry_status',
            'campaign',
          );
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
        const rows = await knex('failed_messages').select(
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
        expect(
          await storedCounts('failed_message_counts', 'failed_day'),
        ).toEqual(await countedOnMessages(10));
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
        const reports = await store.insertMessages(
          spreadMessages(100, start, 31),
        );
        await expectExactCounts();
        await expectExactTotals();

        // Concurrent claims, so PostgreSQL moves several counts per statement.
        const now = new Date('2027-02-01T00:00:00Z');
        const claimed = await Promise.all(
          reports
            .slice(0, 40)
            .map((report, i) => claimInRun(report.id, i, now)),
        );
        await expectExactCounts();
        await Promise.all(
          claimed.map((attempt, i) =>
            i % 5 === 0
              ? undefined
              : store.finishAttempt({
                  attemptId: attempt!.id,
                  messageId: reports[i].id,
                  now,
                  ...outcomeInRun(i, 'wamid.months'),
                }),
          ),
        );
        await expectExactCounts();
        await store.expireLeases(now);
        await store.resolveMessage(reports[1].id, now);
        await expectExactCounts();
        await expectExactTotals();

        // Retention takes September and most of October.
        expect(
          await store.deleteMessagesFailedBefore(
            new Date('2026-10-20T00:00:00Z'),
          ),
        ).toBeGreaterThan(0);
        await expectExactCounts();
        await expectExactTotals();

        expect(await store.compactCounts()).toBeGreaterThan(0);
        await expectExactCounts();
        await expectExactTotals();
        // One row per month and key once compacted.
        const [{ rows, keys }] = await knex
          .from(
            knex('failed_message_month_counts')
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

        await rebuildCounts(knex);
        await expectExactCounts();
        await expectExactTotals();
      });
    });

    it('deletes messages past retention with their attempts, never one being retried', async () => {
      const old = new Date('2026-08-01T00:00:00Z');
      const [keep, oldOne, oldRetrying] = await store.insertMessages([
        newMessage({ failedAt: new Date('2026-11-01T00:00:00Z') }),
        newMessage({ failedAt: old }),
        newMessage({ failedAt: old }),
        ...Array.from({ length: 600 }, () => newMessage({ failedAt: old })),
      ]);
      await store.claimAttempts(
        await Promise.all(
          [oldOne, oldRetrying].map(async report => ({
            message: (await store.getMessage(report.id))!,
            trigger: 'manual' as const,
            actor: null,
            forced: false,
            reason: null,
            bulkRetryId: null,
            now: old,
            leaseUntil: new Date('2099-01-01T00:00:00Z'),
          })),
        ),
      );
      await store.finishAttempt({
        attemptId: (await store.listAttempts(oldOne.id))[0].id,
        messageId: oldOne.id,
        now: old,
        outcome: 'failed',
        error: null,
        providerMessageId: null,
        message: { retryStatus: 'retry-failed', nextAutomaticRetryAt: null },
      });

      const deleted = await store.deleteMessagesFailedBefore(
        new Date('2026-09-01T00:00:00Z'),
      );
      expect(deleted).toBe(601);
      expect(await store.getMessage(keep.id)).toBeDefined();
      expect(await store.getMessage(oldOne.id)).toBeUndefined();
      expect(await store.listAttempts(oldOne.id)).toEqual([]);
      expect((await store.getMessage(oldRetrying.id))?.retryStatus).toBe(
        'retrying',
      );
      expect(await store.summarize({})).toMatchObject({ total: 2 });
      // Their search text goes with them.
      expect(
        (await knex('failed_message_search').select('message_id'))
          .map(row => row.message_id)
          .sort(),
      ).toEqual([keep.id, oldRetrying.id].sort());
    });

    it('compacts the counts without changing any total', async () => {
      const reports = await store.insertMessages(
        Array.from({ length: 40 }, (_, i) =>
          newMessage({ campaign: `c${i % 3}` }),
        ),
      );
      await store.claimAttempts(
        await Promise.all(
          reports.slice(0, 30).map(async report => ({
            message: (await store.getMessage(report.id))!,
            trigger: 'automatic' as const,
            actor: null,
            forced: false,
            reason: null,
            bulkRetryId: null,
            now: new Date(),
            leaseUntil: new Date(Date.now() + 60_000),
          })),
        ),
      );
      const before = await store.summarize({ retryStatus: ['retrying'] });
      const rowsBefore = await knex('failed_message_counts').count({ n: '*' });
      expect(await store.compactCounts()).toBeGreaterThan(0);
      const rowsAfter = await knex('failed_message_counts').count({ n: '*' });
      expect(Number(rowsAfter[0].n)).toBeLessThan(Number(rowsBefore[0].n));
      // One row per key: 3 campaigns, never-retried and retrying.
      expect(Number(rowsAfter[0].n)).toBe(6);
      expect(await store.summarize({ retryStatus: ['retrying'] })).toEqual(
        before,
      );
      expect(await store.summarize({})).toMatchObject({ total: 40 });
      expect(await store.compactCounts()).toBe(0);
    });

    it('knows when it is empty', async () => {
      expect(await store.isEmpty()).toBe(true);
      await store.insertMessages([newMessage()]);
      expect(await store.isEmpty()).toBe(false);
    });
  },
);

describe.each(databases.eachSupportedId())('migrations on %s', id => {
  it('migrate up and all the way down again', async () => {
    const knex = await databases.init(id as TestDatabaseId);
    recordDatabaseRun(id as TestDatabaseId);
    await applyDatabaseMigrations(knex);
    expect(await knex.schema.hasTable('failed_messages')).toBe(true);
    expect(await knex.schema.hasTable('failed_message_attempts')).toBe(true);

    const directory = resolve(__dirname, '../../migrations');
    await knex.migrate.rollback({ directory }, true);
    expect(await knex.schema.hasTable('failed_messages')).toBe(false);
    expect(await knex.schema.hasTable('failed_message_attempts')).toBe(false);
  });

  it('fills the search table from the stored messages when migrating up', async () => {
    const knex = await databases.init(id as TestDatabaseId);
    recordDatabaseRun(id as TestDatabaseId);
    await applyDatabaseMigrations(knex);
    const store = new KnexFailedMessageStore(knex);
    const directory = resolve(__dirname, '../../migrations');
    const name = '20261202000000_search_table.js';
    const [before] = await store.insertMessages([
      newMessage({ recipient: '+447700900111' }),
    ]);
    await knex.migrate.down({ directory, name });
    expect(await knex.schema.hasTable('failed_message_search')).toBe(false);
    // Stored while the search table is gone, so only the migration fills it.
    const [during] = await store.insertMessages([
      newMessage({ recipient: '+447700900222', campaign: 'Winter-Sale' }),
    ]);
    await knex.migrate.up({ directory, name });

    const found = async (q: string) =>
      (
        await store.listMessages({
          filter: { q },
          sort: 'failedAt',
          order: 'desc',
          limit: 50,
          offset: 0,
        })
      ).items.map(message => message.id);
    expect(await found('900111')).toEqual([before.id]);
    expect(await found('winter-sale')).toEqual([during.id]);
    expect((await found('+4477009')).sort()).toEqual(
      [before.id, during.id].sort(),
    );
  });

  it('fills the monthly counts from the daily ones when migrating up', async () => {
    const knex = await databases.init(id as TestDatabaseId);
    recordDatabaseRun(id as TestDatabaseId);
    await applyDatabaseMigrations(knex);
    const store = new KnexFailedMessageStore(knex);
    await store.insertMessages(
      ['2026-09-30T23:30:00Z', '2026-10-01T00:30:00Z', '2026-10-31T12:00:00Z']
        .flatMap(failedAt => [failedAt, failedAt])
        .map((failedAt, i) =>
          newMessage({
            failedAt: new Date(failedAt),
            campaign: i % 2 ? 'spring-promo' : null,
          }),
        ),
    );
    const monthly = () =>
      knex('failed_message_month_counts')
        .select('failed_month', 'campaign')
        .sum({ count: 'count' })
        .groupBy('failed_month', 'campaign')
        .orderBy(['failed_month', 'campaign'])
        .then(rows => rows.map(row => ({ ...row, count: Number(row.count) })));
    const expected = [
      { failed_month: '2026-09', campaign: '', count: 1 },
      { failed_month: '2026-09', campaign: 'spring-promo', count: 1 },
      { failed_month: '2026-10', campaign: '', count: 2 },
      { failed_month: '2026-10', campaign: 'spring-promo', count: 2 },
    ];
    expect(await monthly()).toEqual(expected);

    const directory = resolve(__dirname, '../../migrations');
    const name = '20261127050000_month_counts.js';
    await knex.migrate.down({ directory, name });
    expect(await knex.schema.hasTable('failed_message_month_counts')).toBe(
      false,
    );
    await knex.migrate.up({ directory, name });
    expect(await monthly()).toEqual(expected);
    expect(await store.summarize({})).toMatchObject({ total: 6 });
  });
});

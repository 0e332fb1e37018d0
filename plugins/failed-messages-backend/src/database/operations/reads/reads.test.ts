import { newMessage } from '../../../__testUtils__/messages';
import { MessageListQuery } from '../../types';
import { describeStore, listQuery } from '../../__testUtils__/testStore';
import { rebuildCounts } from '../../messageCounts';

describeStore('reads', db => {
  describe('with a mixed set of messages', () => {
    beforeEach(async () => {
      await db.store.insertMessages([
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
      await db
        .knex('failed_messages')
        .where('external_id', 'd')
        .update({ retry_status: 'retry-failed', manual_attempts: 2 });
      await rebuildCounts(db.knex);
    });

    const externalIds = async (query: Partial<MessageListQuery>) =>
      (await db.store.listMessages(listQuery(query))).items.map(
        m => m.externalId,
      );

    it('sorts by failure time, newest first by default', async () => {
      expect(await externalIds({})).toEqual(['a', 'b', 'c', 'd']);
      expect(await externalIds({ order: 'asc' })).toEqual(['d', 'c', 'b', 'a']);
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
      expect(await externalIds({ filter: { errorCode: ['131049'] } })).toEqual([
        'c',
      ]);
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
      const page = await db.store.listMessages(
        listQuery({ limit: 2, offset: 1 }),
      );
      expect(page.items.map(m => m.externalId)).toEqual(['b', 'c']);
      expect(page.totalCount).toBe(4);
    });

    it('searches text case-insensitively and literally', async () => {
      expect(await externalIds({ filter: { q: '447700' } })).toEqual(['b']);
      expect(await externalIds({ filter: { q: 'MARKETING' } })).toEqual(['b']);
      expect(await externalIds({ filter: { q: '50%_' } })).toEqual(['c']);
      expect(await externalIds({ filter: { q: '%' } })).toEqual(['c']);
    });

    it('summarizes per category under the same filters', async () => {
      expect(await db.store.summarize({})).toEqual({
        total: 4,
        retryable: 2,
        nonRetryable: 1,
        businessLogic: 1,
      });
      expect(await db.store.summarize({ campaign: 'black-friday' })).toEqual({
        total: 2,
        retryable: 0,
        nonRetryable: 1,
        businessLogic: 1,
      });
    });

    it('streams every match newest first across chunks', async () => {
      const streamed: string[] = [];
      for await (const message of db.store.streamMessages({}, 3)) {
        streamed.push(message.externalId!);
      }
      expect(streamed).toEqual(['a', 'b', 'c', 'd']);
    });
  });

  it('streams rows that share a failure time without losing any', async () => {
    const failedAt = new Date('2026-11-25T00:00:00Z');
    await db.store.insertMessages(
      Array.from({ length: 7 }, () => newMessage({ failedAt })),
    );
    const ids = new Set<string>();
    for await (const message of db.store.streamMessages({}, 2)) {
      ids.add(message.id);
    }
    expect(ids.size).toBe(7);
  });

  it('knows when it is empty', async () => {
    expect(await db.store.isEmpty()).toBe(true);
    await db.store.insertMessages([newMessage()]);
    expect(await db.store.isEmpty()).toBe(false);
  });
});

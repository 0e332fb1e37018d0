import { z } from 'zod/v3';
import {
  createFailedMessageFilterShape,
  FAILED_MESSAGE_FILTER_KEYS,
  pickFailedMessageFilter,
  readFailedMessageFilter,
} from './filter';

describe('the message filter', () => {
  it('has the keys of the list, summary and export queries', () => {
    expect(FAILED_MESSAGE_FILTER_KEYS).toEqual([
      'age',
      'from',
      'to',
      'category',
      'errorCode',
      'retryStatus',
      'state',
      'campaign',
      'phoneNumberId',
      'q',
      'bulkRetryId',
    ]);
  });

  it('picks the filter out of a larger query, leaving unset keys out', () => {
    const listRequest = {
      campaign: 'black-friday',
      category: ['retryable' as const],
      q: undefined,
      sort: 'failedAt',
      limit: 25,
    };
    expect(pickFailedMessageFilter(listRequest)).toEqual({
      campaign: 'black-friday',
      category: ['retryable'],
    });
  });

  it('reads a link, dropping values the document does not allow', () => {
    const link = new URLSearchParams(
      [
        'age=7d',
        'category=retryable',
        'category=unheard-of',
        'errorCode=131047',
        'errorCode=',
        'retryStatus=retrying',
        'state=open',
        'state=dismissed',
        'state=closed',
        'campaign=',
        'q=5551234',
        'bulkRetryId=bulk-1',
        'sort=recipient',
      ].join('&'),
    );
    expect(readFailedMessageFilter(link)).toEqual({
      age: '7d',
      category: ['retryable'],
      errorCode: ['131047'],
      retryStatus: ['retrying'],
      state: ['open', 'dismissed'],
      q: '5551234',
      bulkRetryId: 'bulk-1',
    });
    expect(readFailedMessageFilter(new URLSearchParams('age=custom'))).toEqual(
      {},
    );
    // Kept, so that the list says why it cannot search for it.
    const longSearch = 'x'.repeat(201);
    expect(
      readFailedMessageFilter(new URLSearchParams({ q: longSearch })),
    ).toEqual({ q: longSearch });
  });

  describe('as a zod shape', () => {
    const filter = z.object(createFailedMessageFilterShape(z)).strict();

    it('has every filter key and no other', () => {
      expect(Object.keys(createFailedMessageFilterShape(z))).toEqual(
        FAILED_MESSAGE_FILTER_KEYS,
      );
    });

    it.each([
      [{}],
      [{ q: 'x'.repeat(200), campaign: 'c'.repeat(255) }],
      [{ age: '7d', category: ['retryable'], errorCode: ['131047'] }],
    ])('accepts %o', input => {
      expect(filter.safeParse(input).success).toBe(true);
    });

    it.each([
      [{ q: '' }, 'q'],
      [{ q: 'x'.repeat(201) }, 'q'],
      [{ campaign: 'c'.repeat(256) }, 'campaign'],
      [{ errorCode: ['1'.repeat(33)] }, 'errorCode'],
      [{ category: ['blue'] }, 'category'],
      [{ age: '2d' }, 'age'],
      [{ retryStatus: 'retrying' }, 'retryStatus'],
      [{ state: ['closed'] }, 'state'],
      [{ state: 'open' }, 'state'],
    ])('refuses %o, as the OpenAPI document does', (input, key) => {
      const result = filter.safeParse(input);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].path[0]).toBe(key);
    });

    it('describes each key as the document does', () => {
      expect(filter.shape.q.description).toMatch(/recipient.*error title/);
    });

    it('takes digit-only text and blanks from a template', () => {
      const fromTemplate = z.object(
        createFailedMessageFilterShape(z, { fromTemplate: true }),
      );
      expect(
        fromTemplate.safeParse({ campaign: 2026, errorCode: [131047], q: '' })
          .success,
      ).toBe(true);
    });
  });
});

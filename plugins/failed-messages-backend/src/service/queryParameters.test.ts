import { DateTime } from 'luxon';
import { toMessageFilter } from './queryParameters';

describe("a bulk retry's filter", () => {
  const now = DateTime.fromISO('2026-12-03T12:00:00Z');

  it.each(['from', 'to'])(
    'refuses an empty %s instead of dropping the bound',
    key => {
      expect(() => toMessageFilter({ [key]: '' }, now)).toThrow(
        `Invalid query parameter ${key}: must be an ISO 8601 date or date-time`,
      );
    },
  );

  it('takes a range over the preset window', () => {
    expect(
      toMessageFilter(
        { age: '24h', from: '2026-11-01', category: 'retryable' },
        now,
      ),
    ).toEqual({
      category: ['retryable'],
      from: DateTime.fromISO('2026-11-01').toJSDate(),
      to: undefined,
    });
  });
});

import { mockApis } from '@backstage/test-utils';
import { DateTime } from 'luxon';
import { failedMessagesTranslationRef } from '../../translation';
import {
  formatBucket,
  formatDuration,
  formatPercent,
  statisticsWindow,
} from './format';

const { t } = mockApis
  .translation()
  .getTranslation(failedMessagesTranslationRef);

describe('statistics formatting', () => {
  it('formats shares as percentages', () => {
    expect(formatPercent(0.5)).toBe('50%');
    expect(formatPercent(0.333)).toBe('33%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(null)).toBe('—');
  });

  it('formats durations with their two largest units', () => {
    expect(formatDuration(t, 12000)).toBe('3 h 20 min');
    expect(formatDuration(t, 90000)).toBe('1 d 1 h');
    expect(formatDuration(t, 3600)).toBe('1 h');
    expect(formatDuration(t, 150)).toBe('2 min');
    expect(formatDuration(t, 45)).toBe('< 1 min');
    expect(formatDuration(t, null)).toBe('—');
  });

  it('labels buckets', () => {
    expect(formatBucket(t, '2026-11-26T00:00:00.000Z', 'day')).toBe('26 Nov');
    expect(formatBucket(t, '2026-11-23T00:00:00.000Z', 'week')).toBe(
      'Week of 23 Nov',
    );
  });

  it('ends the window now', () => {
    const now = DateTime.fromISO('2026-11-27T12:00:00.000Z', { zone: 'utc' });
    expect(statisticsWindow(7, now)).toEqual({
      from: '2026-11-20T12:00:00.000Z',
      to: '2026-11-27T12:00:00.000Z',
    });
  });
});

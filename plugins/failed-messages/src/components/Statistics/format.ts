import { TranslationFunction } from '@backstage/frontend-plugin-api';
import { DateTime, Duration } from 'luxon';
import { failedMessagesTranslationRef } from '../../translation';

type Translate = TranslationFunction<typeof failedMessagesTranslationRef.T>;

/** A share between 0 and 1 as a whole percentage, or an em dash without data. */
export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) {
    return '—';
  }
  return `${Math.round(rate * 100)}%`;
}

const UNITS = ['days', 'hours', 'minutes'] as const;

/**
 * A duration in seconds for people, with its two largest units:
 * 12000 → "3 h 20 min", 90000 → "1 d 1 h", 45 → "< 1 min".
 */
export function formatDuration(
  t: Translate,
  seconds: number | null | undefined,
): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) {
    return '—';
  }
  if (seconds < 60) {
    return t('statistics.lessThanAMinute');
  }
  const duration = Duration.fromObject({ seconds: Math.round(seconds) })
    .shiftTo('days', 'hours', 'minutes', 'seconds')
    .toObject();
  return UNITS.map(unit => ({ unit, count: Math.floor(duration[unit] ?? 0) }))
    .filter(part => part.count > 0)
    .slice(0, 2)
    .map(({ unit, count }) => t(`statistics.${unit}`, { count }))
    .join(' ');
}

/** The start of a trend bucket as a short axis label. */
export function formatBucket(
  t: Translate,
  bucketStart: string,
  bucket: 'day' | 'week',
): string {
  const date = DateTime.fromISO(bucketStart, { zone: 'utc' });
  if (!date.isValid) {
    return bucketStart;
  }
  const label = date.toFormat('d LLL');
  return bucket === 'week' ? t('statistics.weekOf', { date: label }) : label;
}

export type StatisticsWindowDays = 7 | 30 | 90;

/** The time window of the statistics request, ending now. */
export function statisticsWindow(
  days: StatisticsWindowDays,
  now: DateTime = DateTime.utc(),
): { from: string; to: string } {
  return {
    from: now.minus({ days }).toISO()!,
    to: now.toISO()!,
  };
}

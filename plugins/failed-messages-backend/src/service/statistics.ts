import { InputError } from '@backstage/errors';
import { DateTime } from 'luxon';
import {
  ATTEMPT_TRIGGERS,
  AttemptTrigger,
  ErrorCodeCatalogue,
  RetryCounts,
  RetryStatistics,
} from '@msgops/plugin-failed-messages-common';
import {
  FailedMessageReads,
  SendLogStore,
} from '../database/FailedMessageStore';
import {
  deliveryRates,
  deliveryStatistics,
  NumberLabels,
} from './deliveryStatistics';
import { readIsoTime } from './queryParameters';
import { compileQueryValidator } from './queryValidation';

/** The window statistics cover when none is asked for. */
const DEFAULT_DAYS = 30;
/** Longer windows would make a trend too fine to read and too slow to build. */
const MAX_DAYS = 400;

const validateStatisticsQuery = compileQueryValidator('GetStatistics');

const isoDay = (name: string, value: string) =>
  readIsoTime(name, value, { zone: 'utc' }).startOf('day');

/** `GET /statistics` query: a window of whole UTC days and a bucket size. */
export function parseStatisticsQuery(query: unknown, now = DateTime.utc()) {
  const parsed = validateStatisticsQuery(query);
  const to = parsed.to ? isoDay('to', parsed.to) : now.startOf('day');
  const from = parsed.from
    ? isoDay('from', parsed.from)
    : to.minus({ days: DEFAULT_DAYS - 1 });
  if (from > to) {
    throw new InputError(
      'Invalid query parameter from: must not be later than to',
    );
  }
  if (to.diff(from, 'days').days >= MAX_DAYS) {
    throw new InputError(
      `Invalid query parameter from: the window may span at most ${MAX_DAYS} days`,
    );
  }
  // The document gives the bucket's default.
  return { from, to, bucket: parsed.bucket!, campaign: parsed.campaign };
}

const rate = (succeeded: number, total: number) =>
  total ? Math.round((succeeded / total) * 1000) / 1000 : null;

const emptyCounts = (): RetryCounts => ({ total: 0, succeeded: 0, failed: 0 });

/**
 * Retry statistics: success rate, by trigger, by error code, by attempt
 * number, a trend of failures and retries, and the median time to recovery;
 * and the delivery figures of the sends, overall, by campaign and by number.
 */
export async function computeStatistics(
  store: FailedMessageReads &
    Pick<SendLogStore, 'getDeliveryAggregates' | 'getDeliveryTrend'>,
  catalogue: ErrorCodeCatalogue,
  window: {
    from: DateTime;
    to: DateTime;
    bucket: 'day' | 'week';
    campaign?: string;
  },
  numbers: NumberLabels,
): Promise<RetryStatistics> {
  const days = {
    fromDay: window.from.toISODate()!,
    toDay: window.to.toISODate()!,
    campaign: window.campaign,
  };
  const [aggregates, deliveries, deliveryTrend] = await Promise.all([
    store.getStatisticsAggregates(days),
    store.getDeliveryAggregates(days),
    store.getDeliveryTrend({ ...days, bucket: window.bucket }),
  ]);

  const bucketOf = (day: string) => {
    const start = DateTime.fromISO(day, { zone: 'utc' });
    return (
      window.bucket === 'week' ? start.startOf('week') : start
    ).toISODate()!;
  };
  const trend = new Map<string, RetryStatistics['trend'][number]>();
  const bucket = (day: string) => {
    const key = bucketOf(day);
    let entry = trend.get(key);
    if (!entry) {
      entry = {
        bucketStart: key,
        failures: { retryable: 0, nonRetryable: 0, businessLogic: 0 },
        retries: 0,
        succeeded: 0,
        delivery: {
          sent: 0,
          delivered: 0,
          failed: 0,
          ...deliveryRates({ sent: 0, delivered: 0, failed: 0 }),
        },
      };
      trend.set(key, entry);
    }
    return entry;
  };
  for (let day = window.from; day <= window.to; day = day.plus({ days: 1 })) {
    bucket(day.toISODate()!);
  }

  const retries = emptyCounts();
  const byTrigger = Object.fromEntries(
    ATTEMPT_TRIGGERS.map(trigger => [trigger, emptyCounts()]),
  ) as Record<AttemptTrigger, RetryCounts>;
  const byCode = new Map<
    string,
    { failures: number; retries: number; succeeded: number }
  >();
  const codeEntry = (code: string) => {
    let entry = byCode.get(code);
    if (!entry) {
      entry = { failures: 0, retries: 0, succeeded: 0 };
      byCode.set(code, entry);
    }
    return entry;
  };
  const byAttempt = new Map<number, { retries: number; succeeded: number }>();

  const { attempts } = aggregates;
  const succeededOf = (row: { outcome: string; count: number }) =>
    row.outcome === 'succeeded' ? row.count : 0;
  for (const row of attempts.byTrigger) {
    const succeeded = succeededOf(row);
    const counts = [retries, byTrigger[row.trigger as AttemptTrigger]];
    for (const c of counts.filter(Boolean)) {
      c.total += row.count;
      c.succeeded += succeeded;
      c.failed += row.count - succeeded;
    }
  }
  for (const row of attempts.byErrorCode) {
    const code = codeEntry(row.errorCode);
    code.retries += row.count;
    code.succeeded += succeededOf(row);
  }
  for (const row of attempts.byAttemptNumber) {
    const attempt = byAttempt.get(row.attemptNumber) ?? {
      retries: 0,
      succeeded: 0,
    };
    attempt.retries += row.count;
    attempt.succeeded += succeededOf(row);
    byAttempt.set(row.attemptNumber, attempt);
  }
  for (const row of attempts.byDay) {
    const entry = bucket(row.day);
    entry.retries += row.count;
    entry.succeeded += succeededOf(row);
  }
  for (const row of aggregates.failures) {
    codeEntry(row.errorCode).failures += row.count;
    const failures = bucket(row.day).failures;
    if (row.category === 'retryable') failures.retryable += row.count;
    else if (row.category === 'non-retryable')
      failures.nonRetryable += row.count;
    else failures.businessLogic += row.count;
  }

  for (const { bucketStart, ...counts } of deliveryTrend) {
    const entry = trend.get(bucketStart);
    if (entry) {
      entry.delivery = { ...counts, ...deliveryRates(counts) };
    }
  }

  return {
    from: window.from.toISODate()!,
    to: window.to.toISODate()!,
    bucket: window.bucket,
    retrySuccessRate: rate(retries.succeeded, retries.total),
    retries,
    byTrigger,
    byErrorCode: [...byCode.entries()]
      .map(([code, entry]) => {
        const { title, docsUrl } = catalogue.lookup(code);
        return {
          code,
          title,
          docsUrl,
          ...entry,
          successRate: rate(entry.succeeded, entry.retries),
        };
      })
      .sort((a, b) => b.failures - a.failures || b.retries - a.retries),
    byAttemptNumber: [...byAttempt.entries()]
      .sort(([a], [b]) => a - b)
      .map(([attemptNumber, entry]) => ({
        attemptNumber,
        ...entry,
        successRate: rate(entry.succeeded, entry.retries),
      })),
    trend: [...trend.values()].sort((a, b) =>
      a.bucketStart.localeCompare(b.bucketStart),
    ),
    medianSecondsToRecovery: aggregates.medianSecondsToRecovery,
    ...deliveryStatistics(deliveries, numbers),
  };
}

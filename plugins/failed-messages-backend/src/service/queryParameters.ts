import { InputError } from '@backstage/errors';
import { DateTime, DateTimeOptions } from 'luxon';
import {
  AgeFilter,
  FailedMessageFilter,
  components,
} from '@msgops/plugin-failed-messages-common';
import {
  MessageListQuery,
  MessageQueryFilter,
} from '../database/FailedMessageStore';
import { compileQueryValidator } from './queryValidation';

const validateListQuery = compileQueryValidator('ListMessages');
const validateSummaryQuery = compileQueryValidator('GetSummary');
const validateExportQuery = compileQueryValidator('ExportMessages');

const AGE_HOURS: Record<Exclude<AgeFilter, 'all'>, number> = {
  '24h': 24,
  '7d': 24 * 7,
  '30d': 24 * 30,
  '90d': 24 * 90,
};

/** A time the document leaves as text: luxon's ISO 8601 reading decides. */
export function readIsoTime(
  name: string,
  value: string,
  options?: DateTimeOptions,
): DateTime {
  const time = DateTime.fromISO(value, options);
  if (!time.isValid) {
    throw new InputError(
      `Invalid query parameter ${name}: must be an ISO 8601 date or date-time`,
    );
  }
  return time;
}

/**
 * The store's filter for a filter the document's rules accepted, with the
 * rules it cannot say: from and to are ISO 8601 times, from is not later
 * than to, and an explicit range wins over the preset window.
 */
function toQueryFilter(
  { age, from, to, ...rest }: FailedMessageFilter,
  now: DateTime,
): MessageQueryFilter {
  const filter: MessageQueryFilter = { ...rest };
  // A bound given empty is refused, not dropped: dropped, it would widen a
  // bulk retry to every message.
  if (from !== undefined || to !== undefined) {
    filter.from =
      from !== undefined ? readIsoTime('from', from).toJSDate() : undefined;
    filter.to = to !== undefined ? readIsoTime('to', to).toJSDate() : undefined;
    if (filter.from && filter.to && filter.from > filter.to) {
      throw new InputError(
        'Invalid query parameter from: must not be later than to',
      );
    }
  } else if (age && age !== 'all') {
    filter.from = now.minus({ hours: AGE_HOURS[age] }).toJSDate();
  }
  return filter;
}

const asList = <T>(value: T | T[] | undefined): T[] | undefined =>
  value === undefined ? undefined : ([] as T[]).concat(value);

/**
 * A bulk retry's filter, which the OpenAPI validator or an action's schema
 * checked; repeatable keys may be one value or a list.
 */
export function toMessageFilter(
  filter: components['schemas']['MessageFilter'],
  now: DateTime = DateTime.utc(),
): MessageQueryFilter {
  const { category, errorCode, retryStatus, state, phoneNumberId, ...rest } =
    filter;
  return toQueryFilter(
    {
      ...rest,
      category: asList(category),
      errorCode: asList(errorCode),
      retryStatus: asList(retryStatus),
      state: asList(state),
      phoneNumberId: asList(phoneNumberId),
    },
    now,
  );
}

/** Filters of the summary. */
export function parseFilterQuery(
  query: unknown,
  now: DateTime = DateTime.utc(),
): MessageQueryFilter {
  return toQueryFilter(validateSummaryQuery(query), now);
}

/** Filters of the CSV export. */
export function parseExportQuery(
  query: unknown,
  now: DateTime = DateTime.utc(),
): MessageQueryFilter {
  return toQueryFilter(validateExportQuery(query), now);
}

/** Filters, sorting and paging of the message list. */
export function parseListQuery(
  query: unknown,
  now: DateTime = DateTime.utc(),
): MessageListQuery {
  const { sort, order, limit, offset, ...filter } = validateListQuery(query);
  return {
    filter: toQueryFilter(filter, now),
    // The document gives their defaults.
    sort: sort!,
    order: order!,
    limit: limit!,
    offset: offset!,
  };
}

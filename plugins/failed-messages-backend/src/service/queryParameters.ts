import { InputError } from '@backstage/errors';
import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  AGE_FILTERS,
  AgeFilter,
  CATEGORIES,
  RETRY_STATUSES,
  SORT_FIELDS,
} from '@internal/plugin-failed-messages-common';
import {
  MessageListQuery,
  MessageQueryFilter,
} from '../database/FailedMessageStore';
import { issueParameter } from './zodIssues';

/**
 * A query parameter given once arrives as a string, given twice as an array.
 * Made an array first, so a bad value is reported with the allowed ones.
 */
const repeatable = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess(
    value => (Array.isArray(value) ? value : [value]),
    z.array(item),
  );

const isoTime = z.string().refine(value => DateTime.fromISO(value).isValid, {
  message: 'must be an ISO 8601 date or date-time',
});

const filterShape = {
  age: z.enum(AGE_FILTERS).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  category: repeatable(z.enum(CATEGORIES)).optional(),
  errorCode: repeatable(z.string().min(1).max(32)).optional(),
  retryStatus: repeatable(z.enum(RETRY_STATUSES)).optional(),
  campaign: z.string().min(1).max(255).optional(),
  q: z.string().min(1).max(200).optional(),
};

const filterSchema = z.object(filterShape).strict();

const listSchema = z
  .object({
    ...filterShape,
    sort: z.enum(SORT_FIELDS).default('failedAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

const AGE_HOURS: Record<Exclude<AgeFilter, 'all'>, number> = {
  '24h': 24,
  '7d': 24 * 7,
  '30d': 24 * 30,
  '90d': 24 * 90,
};

function parseOrThrow<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError(
      `Invalid query parameter ${issueParameter(issue)}: ${issue.message}`,
    );
  }
  return result.data;
}

function toFilter(
  parsed: z.infer<typeof filterSchema>,
  now: DateTime,
): MessageQueryFilter {
  const { age, from, to, ...rest } = parsed;
  const filter: MessageQueryFilter = { ...rest };
  if (from || to) {
    // An explicit range wins over the preset window.
    filter.from = from ? DateTime.fromISO(from).toJSDate() : undefined;
    filter.to = to ? DateTime.fromISO(to).toJSDate() : undefined;
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

/** Filters of the summary, the CSV export and bulk retries. */
export function parseFilterQuery(
  query: unknown,
  now: DateTime = DateTime.utc(),
): MessageQueryFilter {
  return toFilter(parseOrThrow(filterSchema, query), now);
}

/** Filters, sorting and paging of the message list. */
export function parseListQuery(
  query: unknown,
  now: DateTime = DateTime.utc(),
): MessageListQuery {
  const { sort, order, limit, offset, ...filter } = parseOrThrow(
    listSchema,
    query,
  );
  return { filter: toFilter(filter, now), sort, order, limit, offset };
}

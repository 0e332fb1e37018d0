import {
  FailedMessageFilter,
  pickFailedMessageFilter,
  readFailedMessageFilter,
  SORT_FIELDS,
  SortField,
  SortOrder,
  toQueryString,
} from '@msgops/plugin-failed-messages-common';
import { DateTime } from 'luxon';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

export const DEFAULT_PAGE_SIZE = 25;

/**
 * The filter of a link without one: open failures, those still to be done.
 * Every state is `state=all` in the URL.
 */
export const DEFAULT_FILTER: FailedMessageFilter = { state: ['open'] };

/** The URL's value of `state` for every state. */
const EVERY_STATE = 'all';

/** The page's views; statistics only for those allowed to see them. */
export type FailedMessagesTab = 'messages' | 'statistics';
export const PAGE_SIZE_OPTIONS = [10, 25, 50, 100];

/** Everything the page shows, as read from the URL query string. */
export interface FailedMessagesQuery {
  /** What the list, the counts, the export and bulk retries ask the backend for. */
  filter: FailedMessageFilter;
  /**
   * The age filter is an explicit from/to range: `age=custom` in the URL, so
   * that the range fields stay open before both ends are chosen.
   */
  customRange: boolean;
  sort: SortField;
  order: SortOrder;
  /** Zero-based page of the message list. */
  page: number;
  pageSize: number;
  /** The message whose details are open, if any. */
  messageId?: string;
  tab: FailedMessagesTab;
}

/** Changes to the query; `undefined` removes a value. */
export type FailedMessagesQueryChange = Partial<{
  [K in keyof FailedMessagesQuery]: FailedMessagesQuery[K] | undefined;
}>;

function oneOf<T extends string>(
  allowed: readonly T[],
  value: string | null,
): T | undefined {
  return allowed.find(item => item === value);
}

/** An ISO 8601 time the backend accepts, or undefined. */
function isoTime(value?: string): string | undefined {
  return value && DateTime.fromISO(value).isValid ? value : undefined;
}

/** Whether a custom range ends before it starts, which the backend refuses. */
export function isInvertedRange(from?: string, to?: string): boolean {
  return Boolean(from && to && DateTime.fromISO(from) > DateTime.fromISO(to));
}

function positiveInteger(value: string | null): number | undefined {
  const number = Number(value);
  return value && Number.isInteger(number) && number >= 0 ? number : undefined;
}

/** The page's query as the URL query string `params` gives it. */
export function parseFailedMessagesQuery(
  params: URLSearchParams,
): FailedMessagesQuery {
  const {
    age,
    from: linkFrom,
    to: linkTo,
    ...values
  } = readFailedMessageFilter(params);
  const filter: FailedMessageFilter = values;
  if (!params.has('state')) {
    filter.state = DEFAULT_FILTER.state;
  }
  const from = isoTime(linkFrom);
  const to = isoTime(linkTo);
  const customRange = params.get('age') === 'custom' || Boolean(from || to);
  if (customRange) {
    // A hand-edited link may hold a range that ends before it starts; the
    // backend would refuse it, so it is left out rather than sent.
    const inverted = isInvertedRange(from, to);
    if (from && !inverted) filter.from = from;
    if (to && !inverted) filter.to = to;
  } else if (age) {
    filter.age = age;
  }

  return {
    filter,
    customRange,
    sort: oneOf<SortField>(SORT_FIELDS, params.get('sort')) ?? 'failedAt',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
    page: positiveInteger(params.get('page')) ?? 0,
    pageSize:
      PAGE_SIZE_OPTIONS.find(
        size => size === positiveInteger(params.get('pageSize')),
      ) ?? DEFAULT_PAGE_SIZE,
    messageId: params.get('message') ?? undefined,
    tab: params.get('tab') === 'statistics' ? 'statistics' : 'messages',
  };
}

function serialize(query: FailedMessagesQuery): URLSearchParams {
  const { age, from, to, ...values } = query.filter;
  const timeWindow = query.customRange ? { age: 'custom', from, to } : { age };
  const params = new URLSearchParams(
    toQueryString({ ...timeWindow, ...pickFailedMessageFilter(values) }),
  );
  // The state is always in the URL, so that a link says which failures it
  // counts (DEFAULT_FILTER).
  if (!values.state?.length) params.set('state', EVERY_STATE);
  // Defaults stay out of the URL so that shared links are short.
  if (query.sort !== 'failedAt') params.set('sort', query.sort);
  if (query.order !== 'desc') params.set('order', query.order);
  if (query.page > 0) params.set('page', String(query.page));
  if (query.pageSize !== DEFAULT_PAGE_SIZE) {
    params.set('pageSize', String(query.pageSize));
  }
  if (query.messageId) params.set('message', query.messageId);
  if (query.tab !== 'messages') params.set('tab', query.tab);
  return params;
}

/**
 * The page's filters, sorting, paging, open message and view, kept in the URL query
 * string so that links can be shared and the browser's back button works.
 */
export function useFailedMessagesQuery(): [
  FailedMessagesQuery,
  (change: FailedMessagesQueryChange) => void,
] {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(
    () => parseFailedMessagesQuery(searchParams),
    [searchParams],
  );

  const update = useCallback(
    (change: FailedMessagesQueryChange) => {
      setSearchParams(current => {
        const next = {
          ...parseFailedMessagesQuery(current),
          ...change,
        } as FailedMessagesQuery;
        // A new filter or order makes the old page number meaningless.
        if (
          change.page === undefined &&
          ('filter' in change ||
            'customRange' in change ||
            'sort' in change ||
            'order' in change)
        ) {
          next.page = 0;
        }
        return serialize({
          ...next,
          filter: next.filter ?? {},
          customRange: next.customRange ?? false,
          sort: next.sort ?? 'failedAt',
          order: next.order ?? 'desc',
          page: next.page ?? 0,
          pageSize: next.pageSize ?? DEFAULT_PAGE_SIZE,
          tab: next.tab ?? 'messages',
        });
      });
    },
    [setSearchParams],
  );

  return [query, update];
}

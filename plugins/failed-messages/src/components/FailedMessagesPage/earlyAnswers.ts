import { FailedMessageFilter } from '@msgops/plugin-failed-messages-common';
import { FailedMessagesApi, ListMessagesRequest } from '../../api';
import { FailedMessagesQuery, parseFailedMessagesQuery } from '../../hooks';

/** An answer asked for early is only handed to a page that mounts this soon after. */
const EARLY_ANSWER_LIFETIME_MS = 10_000;

interface EarlyAnswer {
  answer: Promise<unknown>;
  at: number;
  /** Set once the answer has arrived. */
  arrived?: { value: unknown };
}

const earlyAnswers = new Map<string, EarlyAnswer>();

function freshEarlyAnswer(key: string): EarlyAnswer | undefined {
  const early = earlyAnswers.get(key);
  return early && Date.now() - early.at < EARLY_ANSWER_LIFETIME_MS
    ? early
    : undefined;
}

/** The page of the list that `query` shows. */
export function listRequestOf(query: FailedMessagesQuery): ListMessagesRequest {
  return {
    ...query.filter,
    sort: query.sort,
    order: query.order,
    limit: query.pageSize,
    offset: query.page * query.pageSize,
  };
}

/**
 * The filter of the summary cards: they break the other filters down by
 * category, so they ignore the category filter itself; otherwise picking one
 * category would zero the rest.
 */
export function summaryFilterOf(
  filter: FailedMessageFilter,
): FailedMessageFilter {
  return { ...filter, category: undefined };
}

/** One request of the page, named by what it asks for. */
export function requestKey(name: string, request?: unknown): string {
  return `${name} ${JSON.stringify(request ?? null)}`;
}

/**
 * The answer to the request named `key`: the one asked for early, if it is
 * recent and no one has taken it yet, otherwise a new one from `ask`.
 */
export function answer<T>(key: string, ask: () => Promise<T>): Promise<T> {
  const early = freshEarlyAnswer(key);
  earlyAnswers.delete(key);
  return early ? (early.answer as Promise<T>) : ask();
}

/**
 * The value of the answer to `key` asked for early, if it has already
 * arrived, so that the page's first render can show it; `answer` still hands
 * out the same answer afterwards.
 */
export function arrivedAnswer<T>(key: string): T | undefined {
  return freshEarlyAnswer(key)?.arrived?.value as T | undefined;
}

function askEarly(key: string, ask: () => Promise<unknown>) {
  const early: EarlyAnswer = { answer: ask(), at: Date.now() };
  // Whoever takes the answer sees its failure; until then it is not unhandled.
  early.answer.then(
    value => {
      early.arrived = { value };
    },
    () => undefined,
  );
  earlyAnswers.set(key, early);
}

/**
 * Asks for what the page shows first, for the address `search`, while the
 * page is still being set up, so that its first rows do not wait for its
 * first render: the page takes these answers through `answer`.
 */
export function askForFirstAnswers(api: FailedMessagesApi, search: string) {
  const query = parseFailedMessagesQuery(new URLSearchParams(search));
  if (query.tab !== 'messages') {
    return;
  }
  const listRequest = listRequestOf(query);
  const summaryFilter = summaryFilterOf(query.filter);
  askEarly(requestKey('list', listRequest), () =>
    api.listMessages(listRequest),
  );
  askEarly(requestKey('summary', summaryFilter), () =>
    api.getSummary(summaryFilter),
  );
  askEarly(requestKey('error-codes'), () => api.getErrorCodes());
  askEarly(requestKey('auto-retry'), () => api.getAutoRetry());
  askEarly(requestKey('business-numbers'), () => api.listBusinessNumbers());
}

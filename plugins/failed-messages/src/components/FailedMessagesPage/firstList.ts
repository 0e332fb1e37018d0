import { FailedMessagesApi } from '../../api';
import {
  listRequestKey,
  listRequestOf,
  parseFailedMessagesQuery,
} from './useFailedMessagesQuery';
import { ListedMessages } from './useMessageList';

/**
 * Loads of the same URL this close together share one request. The app
 * renders a page's lazily loaded content afresh each time the page's frame
 * suspends while it mounts, so one visit calls the page's loader several
 * times within a few hundred milliseconds.
 */
export const FIRST_LIST_SHARED_MS = 2_000;

/** The first page of the list for a URL's query string. */
export type FirstListLoader = (
  search: string,
) => Promise<ListedMessages | undefined>;

/**
 * Fetches the first page of the list for a URL's query string, so that the
 * page can show its rows in its first render. Gives undefined if that fails:
 * the page then asks again and shows what went wrong.
 */
export function createFirstListLoader(api: FailedMessagesApi): FirstListLoader {
  let last:
    | {
        search: string;
        startedAt: number;
        list: Promise<ListedMessages | undefined>;
      }
    | undefined;

  return search => {
    if (
      last?.search === search &&
      Date.now() - last.startedAt < FIRST_LIST_SHARED_MS
    ) {
      return last.list;
    }
    const query = parseFailedMessagesQuery(new URLSearchParams(search));
    const list = api.listMessages(listRequestOf(query)).then(
      result => ({ request: listRequestKey(query), result }),
      () => undefined,
    );
    last = { search, startedAt: Date.now(), list };
    return list;
  };
}

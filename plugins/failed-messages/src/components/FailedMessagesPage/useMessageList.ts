import { FailedMessagePage } from '@internal/plugin-failed-messages-common';
import { useCallback, useEffect, useRef, useState } from 'react';

/** A page of the message list and the request it answers. */
export interface ListedMessages {
  /** The request, as `listRequestKey` writes it. */
  request: string;
  result: FailedMessagePage;
}

export interface MessageListState {
  loading: boolean;
  /** The last page fetched; kept while the next one loads, dropped on an error. */
  value?: ListedMessages;
  error?: Error;
  /** Fetches the page again, e.g. after an error. */
  retry: () => void;
}

/**
 * The page of messages that `request` names, fetched again when the request
 * or `reloadCount` changes. A `first` page that answers the same request is
 * shown at once instead of being fetched again: the page's loader fetched it
 * while the page's code loaded.
 */
export function useMessageList(
  fetchPage: () => Promise<FailedMessagePage>,
  request: string,
  reloadCount: number,
  first?: ListedMessages,
): MessageListState {
  const [state, setState] = useState<Omit<MessageListState, 'retry'>>(() =>
    first?.request === request
      ? { loading: false, value: first }
      : { loading: true },
  );
  const [retries, setRetries] = useState(0);
  const hasFirstPage = useRef(state.value !== undefined);
  // The latest fetch, so that a new closure on every render does not refetch.
  const latestFetchPage = useRef(fetchPage);
  latestFetchPage.current = fetchPage;

  useEffect(() => {
    if (hasFirstPage.current) {
      hasFirstPage.current = false;
      return undefined;
    }
    // Answers to an earlier request or reload arrive too late to be shown.
    let current = true;
    setState(previous => ({ ...previous, loading: true }));
    latestFetchPage.current().then(
      result => {
        if (current) setState({ loading: false, value: { request, result } });
      },
      error => {
        if (current) setState({ loading: false, error });
      },
    );
    return () => {
      current = false;
    };
  }, [request, reloadCount, retries]);

  const retry = useCallback(() => setRetries(count => count + 1), []);
  return { ...state, retry };
}

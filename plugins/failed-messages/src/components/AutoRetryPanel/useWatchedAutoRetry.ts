import { useApi } from '@backstage/core-plugin-api';
import { AutoRetryStatus } from '@msgops/plugin-failed-messages-common';
import { useEffect, useRef, useState } from 'react';
import useMountedState from 'react-use/esm/useMountedState';
import { failedMessagesApiRef } from '../../api';

/** While a run goes, or one was just asked for, its figures are asked this often. */
export const WATCH_INTERVAL_MS = 1500;

/** How long after Run now the panel waits for the run to show up. */
const START_WAIT_MS = 30_000;

/** A Run now the panel waits to see: the run started last before it, and until when. */
interface AwaitedRun {
  after: string | undefined;
  until: number;
}

/**
 * The automatic run's status as the page last fetched it, or newer: while a
 * run goes (or one was just started and has not shown up yet) it is asked
 * again every WATCH_INTERVAL_MS, and `onRunFinished` is called once the run
 * has ended, so that the page fetches the messages it changed.
 */
export function useWatchedAutoRetry(
  status: AutoRetryStatus | undefined,
  onRunFinished: () => void,
) {
  const api = useApi(failedMessagesApiRef);
  const isMounted = useMountedState();
  // The page makes a new callback each render; a render must not restart
  // the wait for the next answer.
  const runFinished = useRef(onRunFinished);
  runFinished.current = onRunFinished;
  // An answer of our own stands until the page brings a newer status.
  const [watched, setWatched] = useState<{
    to: AutoRetryStatus | undefined;
    status: AutoRetryStatus;
  }>();
  const [awaited, setAwaited] = useState<AwaitedRun>();
  const [error, setError] = useState<Error>();
  const shown = watched && watched.to === status ? watched.status : status;
  const watching = Boolean(shown?.current) || awaited !== undefined;

  useEffect(() => {
    if (!watching) {
      return undefined;
    }
    const timer = setTimeout(async () => {
      try {
        const next = await api.getAutoRetry();
        if (!isMounted()) {
          return;
        }
        setError(undefined);
        const lastStart = next.recentRuns[0]?.startedAt;
        const seen =
          awaited &&
          (lastStart !== awaited.after || Date.now() > awaited.until);
        const stillAwaited = awaited && !seen ? awaited : undefined;
        setAwaited(stillAwaited);
        setWatched({ to: status, status: next });
        if (!next.current && !stillAwaited) {
          runFinished.current();
        }
      } catch (e) {
        if (isMounted()) {
          setError(e as Error);
          setAwaited(undefined);
        }
      }
    }, WATCH_INTERVAL_MS);
    return () => clearTimeout(timer);
  }, [api, isMounted, watching, shown, awaited, status]);

  return {
    status: shown,
    error,
    /** Watches for the run Run now started. */
    awaitRun: () =>
      setAwaited({
        after: shown?.recentRuns[0]?.startedAt,
        until: Date.now() + START_WAIT_MS,
      }),
  };
}

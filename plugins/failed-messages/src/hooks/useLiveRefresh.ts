import { useSignal } from '@backstage/plugin-signals-react';
import {
  FAILED_MESSAGES_SIGNAL_CHANNEL,
  FailedMessagesSignal,
} from '@msgops/plugin-failed-messages-common';
import { useCallback, useEffect, useRef } from 'react';

export interface LiveRefreshOptions {
  /** Fetches what is shown again. */
  refresh: () => void;
  /** Whether a signal concerns what is shown. */
  concerns: (signal: FailedMessagesSignal) => boolean;
  /** How often to poll, while the page is visible, when the app has no signals. */
  pollIntervalMs: number;
  /** How often to poll anyway when the app has signals; never if absent. */
  pollIntervalWithSignalsMs?: number;
  /** Refreshes are at least this far apart, so that a burst of signals fetches once. */
  minIntervalMs: number;
  /** Off while there is nothing to follow. */
  enabled?: boolean;
}

/**
 * Keeps what a view shows fresh: refreshes when the backend announces a
 * change on the failed-messages signals channel, or, in apps without the
 * signals plugin, polls while the page is visible.
 */
export function useLiveRefresh(options: LiveRefreshOptions): void {
  const {
    pollIntervalMs,
    pollIntervalWithSignalsMs,
    minIntervalMs,
    enabled = true,
  } = options;
  const { lastSignal, isSignalsAvailable } = useSignal<FailedMessagesSignal>(
    FAILED_MESSAGES_SIGNAL_CHANNEL,
  );
  // The latest callbacks, so that timers need not restart on every render.
  const latest = useRef(options);
  latest.current = options;
  // What is shown was fetched when the view mounted.
  const lastRefreshAt = useRef(Date.now());
  const pending = useRef<ReturnType<typeof setTimeout>>();

  const requestRefresh = useCallback(() => {
    if (pending.current) {
      return;
    }
    const run = () => {
      pending.current = undefined;
      lastRefreshAt.current = Date.now();
      latest.current.refresh();
    };
    const wait = lastRefreshAt.current + minIntervalMs - Date.now();
    if (wait <= 0) {
      run();
    } else {
      pending.current = setTimeout(run, wait);
    }
  }, [minIntervalMs]);

  useEffect(() => () => clearTimeout(pending.current), []);

  useEffect(() => {
    if (enabled && lastSignal && latest.current.concerns(lastSignal)) {
      requestRefresh();
    }
  }, [enabled, lastSignal, requestRefresh]);

  const interval = isSignalsAvailable
    ? pollIntervalWithSignalsMs
    : pollIntervalMs;
  useEffect(() => {
    if (!enabled || !interval) {
      return undefined;
    }
    const visible = () => document.visibilityState === 'visible';
    const timer = setInterval(() => {
      if (visible()) {
        requestRefresh();
      }
    }, interval);
    // A tab that comes back after missing a poll catches up at once.
    const onVisibilityChange = () => {
      if (visible() && Date.now() - lastRefreshAt.current >= interval) {
        requestRefresh();
      }
    };
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [enabled, interval, requestRefresh]);
}

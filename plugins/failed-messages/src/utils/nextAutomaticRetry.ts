import { AutoRetryStatus } from '../api';

/** What the page knows of the automatic retry run. */
export type AutomaticRun = Pick<AutoRetryStatus, 'enabled' | 'nextRunAt'>;

/**
 * When the automatic retry will send a message again:
 * - `next-run`: at the next run, whose time is given where known;
 * - `after`: at the first run after the message's wait ends, which is later than the next run;
 * - `none`: not automatically.
 */
export type NextAutomaticRetry =
  | { kind: 'none' }
  | { kind: 'next-run'; at?: string }
  | { kind: 'after'; at: string };

/**
 * The message's own time is the earliest the automatic retry may send it, but
 * only a run sends it, so the later of that time and the next run counts: a
 * wait that has passed means the next run, not a time in the past.
 */
export function nextAutomaticRetry(
  earliestAt: string | null,
  run: AutomaticRun | undefined,
): NextAutomaticRetry {
  if (!earliestAt || run?.enabled === false) {
    return { kind: 'none' };
  }
  const earliest = Date.parse(earliestAt);
  if (run?.nextRunAt && Date.parse(run.nextRunAt) >= earliest) {
    return { kind: 'next-run', at: run.nextRunAt };
  }
  if (earliest > Date.now()) {
    return { kind: 'after', at: earliestAt };
  }
  // The wait has passed, and when the next run starts is not known (yet).
  return { kind: 'next-run' };
}

import { DateTime } from 'luxon';
import { nextRunAt } from './autoRetryTask';

describe('nextRunAt', () => {
  const now = DateTime.fromISO('2026-11-27T07:30:00Z', { zone: 'utc' });
  const lastRun = {
    id: 'run-1',
    startedAt: '2026-11-27T06:00:00.000Z',
    finishedAt: '2026-11-27T06:02:00.000Z',
    triggeredBy: null,
    attempted: 0,
    succeeded: 0,
    failed: 0,
    pausedReason: null,
  };

  it('is the next time the cron expression names after now', () => {
    expect(
      nextRunAt(
        { frequency: { cron: '0 6 * * *' }, timeout: { minutes: 30 } },
        lastRun,
        now,
      ),
    ).toBe('2026-11-28T06:00:00.000Z');
  });

  it('is one interval after the last run, or now when that has passed', () => {
    const hourly = { frequency: { hours: 1 }, timeout: { minutes: 30 } };
    expect(nextRunAt(hourly, lastRun, now)).toBe('2026-11-27T07:30:00.000Z');
    expect(
      nextRunAt(
        hourly,
        { ...lastRun, startedAt: '2026-11-27T07:00:00.000Z' },
        now,
      ),
    ).toBe('2026-11-27T08:00:00.000Z');
  });

  it('is unknown for a task that runs only when triggered', () => {
    expect(
      nextRunAt(
        { frequency: { trigger: 'manual' }, timeout: { minutes: 30 } },
        lastRun,
        now,
      ),
    ).toBeNull();
  });
});

import { DateTime } from 'luxon';
import { isRunDue, nextRunAt } from './autoRetryTask';

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
    skipped: [],
    pausedReason: null,
  };

  it('is the next time the cron expression names after now', () => {
    expect(
      nextRunAt(
        { frequency: { cron: '0 6 * * *' }, timeout: { minutes: 30 } },
        'UTC',
        lastRun,
        now,
      ),
    ).toBe('2026-11-28T06:00:00.000Z');
  });

  it('reads the cron in the configured zone, summer and winter', () => {
    const morning = {
      frequency: { cron: '0 6 * * *' },
      timeout: { minutes: 30 },
    };
    expect(nextRunAt(morning, 'Europe/Berlin', lastRun, now)).toBe(
      '2026-11-28T05:00:00.000Z',
    );
    expect(
      nextRunAt(
        morning,
        'Europe/Berlin',
        lastRun,
        DateTime.fromISO('2026-07-01T12:00:00Z', { zone: 'utc' }),
      ),
    ).toBe('2026-07-02T04:00:00.000Z');
    expect(nextRunAt(morning, 'America/New_York', lastRun, now)).toBe(
      '2026-11-27T11:00:00.000Z',
    );
  });

  it('is one interval after the last run, or now when that has passed', () => {
    const hourly = { frequency: { hours: 1 }, timeout: { minutes: 30 } };
    expect(nextRunAt(hourly, 'UTC', lastRun, now)).toBe(
      '2026-11-27T07:30:00.000Z',
    );
    expect(
      nextRunAt(
        hourly,
        'UTC',
        { ...lastRun, startedAt: '2026-11-27T07:00:00.000Z' },
        now,
      ),
    ).toBe('2026-11-27T08:00:00.000Z');
  });

  it('is unknown for a task that runs only when triggered', () => {
    expect(
      nextRunAt(
        { frequency: { trigger: 'manual' }, timeout: { minutes: 30 } },
        'UTC',
        lastRun,
        now,
      ),
    ).toBeNull();
  });
});

describe('isRunDue', () => {
  const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });
  const berlinMorning = (since: string, now: string) =>
    isRunDue('0 6 * * *', 'Europe/Berlin', utc(since), utc(now));

  it('is due at 06:00 Berlin time: 05:00 UTC in winter, 04:00 UTC in summer', () => {
    expect(berlinMorning('2026-12-02T05:00:10Z', '2026-12-03T04:59:00Z')).toBe(
      false,
    );
    expect(berlinMorning('2026-12-02T05:00:10Z', '2026-12-03T05:00:00Z')).toBe(
      true,
    );
    expect(berlinMorning('2026-07-01T04:00:10Z', '2026-07-02T04:00:30Z')).toBe(
      true,
    );
  });

  it('is not due again once the run of that time has started', () => {
    expect(berlinMorning('2026-12-03T05:00:10Z', '2026-12-03T05:01:00Z')).toBe(
      false,
    );
  });

  it('is due late when no replica was up at the time', () => {
    expect(berlinMorning('2026-12-01T05:00:10Z', '2026-12-03T09:00:00Z')).toBe(
      true,
    );
  });
});

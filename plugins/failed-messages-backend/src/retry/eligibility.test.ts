import { DateTime } from 'luxon';
import { ErrorCodeCatalogue } from '@internal/plugin-failed-messages-common';
import { FailedMessageRecord } from '../database/FailedMessageStore';
import { evaluateEligibility } from './eligibility';

const catalogue = new ErrorCodeCatalogue();
const failedAt = DateTime.fromISO('2026-11-20T10:00:00Z', { zone: 'utc' });

function message(
  code: string,
  overrides: Partial<FailedMessageRecord> = {},
): FailedMessageRecord {
  const info = catalogue.lookup(code);
  return {
    id: 'm1',
    channel: 'whatsapp',
    externalId: 'wamid.1',
    recipient: '+16505551234',
    campaign: null,
    templateName: null,
    payload: { messaging_product: 'whatsapp' },
    error: { code, title: info.title, message: null, details: null },
    category: info.category,
    retryStatus: 'never-retried',
    automaticAttempts: 0,
    manualAttempts: 0,
    nextAutomaticRetryAt: null,
    failedAt: failedAt.toISO()!,
    lastAttemptAt: null,
    resolvedAt: null,
    ...overrides,
  };
}

const evaluate = (m: FailedMessageRecord, now: DateTime) =>
  evaluateEligibility(m, catalogue.lookup(m.error.code), now);

describe('evaluateEligibility', () => {
  const later = failedAt.plus({ days: 2 });

  it('allows a retryable message whose wait has passed', () => {
    expect(evaluate(message('130429'), later)).toEqual({
      canRetry: true,
      reason: null,
      earliestAt: null,
    });
  });

  it('says when the wait of a retryable error ends', () => {
    const result = evaluate(message('134101'), failedAt);
    expect(result.canRetry).toBe(false);
    expect(result.earliestAt).toBe('2026-11-20T10:10:00.000Z');
    expect(result.reason).toMatch(/20 Nov 2026, 10:10 UTC/);
  });

  it('applies the documented backoff of the pair rate limit', () => {
    const result = evaluate(
      message('131056', {
        automaticAttempts: 2,
        manualAttempts: 1,
        lastAttemptAt: failedAt.toISO()!,
      }),
      failedAt.plus({ seconds: 30 }),
    );
    // 4^3 seconds after the last of three attempts.
    expect(result.earliestAt).toBe('2026-11-20T10:01:04.000Z');
  });

  it('never allows an opted-out recipient', () => {
    const result = evaluate(message('131050'), later);
    expect(result.canRetry).toBe(false);
    expect(result.reason).toMatch(/Cannot retry/);
    expect(result.reason).toMatch(/compliance/);
  });

  it('asks for a forced retry of a business-logic error', () => {
    const result = evaluate(message('131049'), later);
    expect(result.canRetry).toBe(false);
    expect(result.reason).toMatch(/must be forced/);
  });

  it.each([
    [{ payload: null }, /never saw the content/],
    [{ resolvedAt: later.toISO()! }, /Already delivered/],
    [{ retryStatus: 'retrying' as const }, /already running/],
    [{ retryStatus: 'outcome-unknown' as const }, /may or may not have been sent/],
  ])('refuses %o', (overrides, reason) => {
    const result = evaluate(message('130429', overrides), later);
    expect(result.canRetry).toBe(false);
    expect(result.reason).toMatch(reason);
  });
});

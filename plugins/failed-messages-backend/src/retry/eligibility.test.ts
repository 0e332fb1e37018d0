import { DateTime } from 'luxon';
import { ErrorCodeCatalogue } from '@msgops/plugin-failed-messages-common';
import { FailedMessageRecord } from '../database/FailedMessageStore';
import { EligibilityContext, evaluateEligibility } from './eligibility';

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
    state: 'open',
    dismissal: null,
    resolution: null,
    businessNumber: null,
    ...overrides,
  };
}

const evaluate = (m: FailedMessageRecord, now: DateTime) =>
  evaluateEligibility(m, catalogue.lookup(m.error.code), {
    now,
    newerDelivered: false,
  });

const evaluateWith = (
  m: FailedMessageRecord,
  context: Partial<EligibilityContext> = {},
) =>
  evaluateEligibility(m, catalogue.lookup(m.error.code), {
    now: failedAt.plus({ days: 2 }),
    newerDelivered: false,
    ...context,
  });

describe('evaluateEligibility', () => {
  const later = failedAt.plus({ days: 2 });

  it('allows a retryable message whose wait has passed', () => {
    expect(evaluate(message('130429'), later)).toEqual({
      canRetry: true,
      reason: null,
      earliestAt: null,
      forceable: false,
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

  it('asks for a forced retry of a business rule that never allows a resend, stating the rule', () => {
    const result = evaluate(message('131047'), later);
    expect(result).toMatchObject({ canRetry: false, forceable: true });
    expect(result.reason).toMatch(/must be forced/);
    expect(result.reason).toContain(catalogue.lookup('131047').rule);
  });

  it('lets a person retry a business rule that allows it at once, with no wait', () => {
    expect(evaluate(message('131043'), failedAt)).toMatchObject({
      canRetry: true,
    });
    expect(evaluate(message('190'), failedAt).canRetry).toBe(true);
  });

  it('holds a business rule that needs a wait until the wait has passed, stating the rule', () => {
    const inside = evaluate(message('132015'), failedAt.plus({ hours: 1 }));
    expect(inside).toMatchObject({
      canRetry: false,
      forceable: true,
      earliestAt: '2026-11-20T13:00:00.000Z',
    });
    expect(inside.reason).toContain(catalogue.lookup('132015').rule);
    expect(
      evaluate(message('132015'), failedAt.plus({ hours: 3 })).canRetry,
    ).toBe(true);
  });

  it("follows an operator's override of a code's manual-retry rule", () => {
    const strict = new ErrorCodeCatalogue({
      overrides: {
        '131043': { manualRetry: 'never', rule: 'Ask the sender team first.' },
      },
    });
    const result = evaluateEligibility(
      message('131043'),
      strict.lookup('131043'),
      { now: later, newerDelivered: false },
    );
    expect(result).toMatchObject({ canRetry: false, forceable: true });
    expect(result.reason).toMatch(/Ask the sender team first\./);
  });

  it('leaves a message resolved by a newer delivery to a forced retry, never to the automatic run', () => {
    const stale = message('130429', {
      state: 'resolved',
      resolution: {
        cause: 'newer-delivery',
        at: later.toISO()!,
        newerMessageId: 'm2',
      },
    });
    expect(evaluateWith(stale)).toMatchObject({
      canRetry: false,
      forceable: true,
      reason: expect.stringMatching(/newer message/),
    });
    expect(evaluateWith(stale, { force: true }).canRetry).toBe(true);
    expect(
      evaluateWith(stale, { force: true, automatic: { maxAttempts: 3 } }),
    ).toMatchObject({ canRetry: false, forceable: false });
    // Resolved for another cause, it is never retried.
    expect(
      evaluateWith(message('130429', { state: 'resolved' }), { force: true }),
    ).toMatchObject({ canRetry: false, forceable: false });
  });

  it.each([
    [{ payload: null }, /never saw the content/],
    [{ resolvedAt: later.toISO()! }, /Already delivered/],
    [{ retryStatus: 'retrying' as const }, /already running/],
    [{ retryStatus: 'retry-succeeded' as const }, /accepted the last retry/],
    [
      { retryStatus: 'outcome-unknown' as const },
      /may or may not have been sent/,
    ],
  ])('refuses %o', (overrides, reason) => {
    const result = evaluate(message('130429', overrides), later);
    expect(result.canRetry).toBe(false);
    expect(result.reason).toMatch(reason);
  });
});

describe('eligibility table', () => {
  const soon = failedAt.plus({ seconds: 5 });
  type Row = [
    string,
    FailedMessageRecord,
    Partial<EligibilityContext>,
    { manual: boolean; forced: boolean; automatic: boolean },
  ];
  const rows: Row[] = [
    [
      'retryable, wait passed',
      message('130429'),
      {},
      { manual: true, forced: true, automatic: true },
    ],
    [
      'retryable, inside its wait',
      message('130429'),
      { now: soon },
      { manual: false, forced: true, automatic: false },
    ],
    [
      'business logic, rule never allows a resend',
      message('131047'),
      {},
      { manual: false, forced: true, automatic: false },
    ],
    [
      'business logic, rule allows a resend',
      message('131043'),
      {},
      { manual: true, forced: true, automatic: false },
    ],
    [
      'business logic, rule allows a resend, outcome unknown',
      message('131043', { retryStatus: 'outcome-unknown' }),
      {},
      { manual: false, forced: true, automatic: false },
    ],
    [
      'business logic, rule allows a resend, newer one delivered',
      message('131043'),
      { newerDelivered: true },
      { manual: false, forced: true, automatic: false },
    ],
    [
      'business logic, rule allows a resend, already retrying',
      message('131043', { retryStatus: 'retrying' }),
      {},
      { manual: false, forced: false, automatic: false },
    ],
    [
      'business logic, wait passed',
      message('131049'),
      {},
      { manual: true, forced: true, automatic: false },
    ],
    [
      'business logic, inside its wait',
      message('131049'),
      { now: soon },
      { manual: false, forced: true, automatic: false },
    ],
    [
      'account-level',
      message('190'),
      {},
      { manual: true, forced: true, automatic: false },
    ],
    [
      'non-retryable',
      message('131026'),
      {},
      { manual: false, forced: false, automatic: false },
    ],
    [
      'opt-out',
      message('131050'),
      {},
      { manual: false, forced: false, automatic: false },
    ],
    [
      'content unknown',
      message('130429', { payload: null }),
      {},
      { manual: false, forced: false, automatic: false },
    ],
    [
      'already retrying',
      message('130429', { retryStatus: 'retrying' }),
      {},
      { manual: false, forced: false, automatic: false },
    ],
    [
      'resolved',
      message('130429', { resolvedAt: failedAt.toISO()! }),
      {},
      { manual: false, forced: false, automatic: false },
    ],
    [
      'outcome unknown',
      message('130429', { retryStatus: 'outcome-unknown' }),
      {},
      { manual: false, forced: true, automatic: false },
    ],
    [
      'stale: newer one delivered',
      message('130429'),
      { newerDelivered: true },
      { manual: false, forced: true, automatic: false },
    ],
    [
      'automatic attempts used up',
      message('130429', {
        automaticAttempts: 3,
        retryStatus: 'max-attempts-reached',
      }),
      {},
      { manual: true, forced: true, automatic: false },
    ],
    [
      'retry once, then a person decides',
      message('1'),
      {},
      { manual: true, forced: true, automatic: false },
    ],
  ];

  it.each(rows)('%s', (_, m, context, expected) => {
    expect({
      manual: evaluateWith(m, context).canRetry,
      forced: evaluateWith(m, { ...context, force: true }).canRetry,
      automatic: evaluateWith(m, {
        ...context,
        automatic: { maxAttempts: 3 },
      }).canRetry,
    }).toEqual(expected);
  });

  it('gives a reason and marks what force can override', () => {
    for (const [, m, context] of rows) {
      const decision = evaluateWith(m, context);
      expect(decision.canRetry || decision.reason!.length > 10).toBe(true);
      expect(decision.forceable).toBe(
        !decision.canRetry &&
          evaluateWith(m, { ...context, force: true }).canRetry,
      );
    }
  });
});

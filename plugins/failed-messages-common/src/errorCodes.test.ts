import {
  ErrorCodeCatalogue,
  UNKNOWN_ERROR_CODE_DEFAULTS,
  WHATSAPP_ERROR_CODES,
} from './errorCodes';
import { CATEGORIES, ErrorCodeOverride, MANUAL_RETRY_RULES } from './types';

const META_ERROR_CODES_URL =
  'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes';

describe('WHATSAPP_ERROR_CODES', () => {
  it('lists at least 40 codes, each once', () => {
    const codes = WHATSAPP_ERROR_CODES.map(info => info.code);
    expect(codes.length).toBeGreaterThanOrEqual(40);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('explains every code and keeps its fields consistent', () => {
    for (const info of WHATSAPP_ERROR_CODES) {
      expect(info.title.trim()).not.toBe('');
      expect(info.meaning.trim()).not.toBe('');
      expect(info.action.trim()).not.toBe('');
      expect(CATEGORIES).toContain(info.category);
      expect(info.minWaitSeconds).toBeGreaterThanOrEqual(0);
    }
    const automatic = WHATSAPP_ERROR_CODES.filter(info => info.autoRetry);
    expect(automatic.every(info => info.category === 'retryable')).toBe(true);
    const account = WHATSAPP_ERROR_CODES.filter(info => info.accountLevel);
    expect(account.some(info => info.autoRetry)).toBe(false);
  });

  it('gives every code a manual-retry rule written as a sentence', () => {
    const catalogue = new ErrorCodeCatalogue();
    const entries = [
      ...WHATSAPP_ERROR_CODES,
      catalogue.lookup('250'),
      catalogue.lookup('999999'),
    ];
    for (const info of entries) {
      expect(MANUAL_RETRY_RULES).toContain(info.manualRetry);
      // A sentence: a capital first, several words, a full stop last.
      expect(info.rule).toMatch(/^[A-Z].*\S \S.*\S \S.*[.]$/);
    }
  });

  it('resends temporary codes after the wait, permanent ones never', () => {
    const rulesOf = (category: string) =>
      new Set(
        WHATSAPP_ERROR_CODES.filter(info => info.category === category).map(
          info => info.manualRetry,
        ),
      );
    expect(rulesOf('retryable')).toEqual(new Set(['after-wait']));
    expect(rulesOf('non-retryable')).toEqual(new Set(['never']));
  });

  it('lets business rules decide: some codes now, some after a wait, some never', () => {
    const catalogue = new ErrorCodeCatalogue();
    expect(catalogue.lookup('131047')).toMatchObject({ manualRetry: 'never' });
    expect(catalogue.lookup('131047').rule).toMatch(/24-hour window/);
    expect(catalogue.lookup('131047').rule).toMatch(/template/);
    expect(catalogue.lookup('132015')).toMatchObject({
      manualRetry: 'after-wait',
    });
    expect(catalogue.lookup('132015').rule).toMatch(/re-enable the template/);
    for (const code of ['131043', '132068', '130403', '190', '250']) {
      expect(catalogue.lookup(code)).toMatchObject({ manualRetry: 'allowed' });
    }
    expect(catalogue.lookup('999999')).toMatchObject({ manualRetry: 'never' });
  });

  it('includes the synthetic transport failures as retryable', () => {
    const catalogue = new ErrorCodeCatalogue();
    for (const code of ['network-error', 'http-5xx']) {
      expect(catalogue.lookup(code)).toMatchObject({
        category: 'retryable',
        autoRetry: true,
      });
    }
  });
});

describe('ErrorCodeCatalogue.lookup', () => {
  const catalogue = new ErrorCodeCatalogue();

  it('holds 131049 back for 24 hours and leaves it to a person', () => {
    expect(catalogue.lookup(131049)).toMatchObject({
      code: '131049',
      category: 'business-logic',
      minWaitSeconds: 86400,
      autoRetry: false,
    });
  });

  it('never resends 131050 (opt-out)', () => {
    const info = catalogue.lookup('131050');
    expect(info).toMatchObject({
      category: 'non-retryable',
      autoRetry: false,
      minWaitSeconds: 0,
    });
    expect(info.action).toMatch(/never resend/i);
    expect(info.action).toMatch(/compliance/i);
  });

  it('retries 130429 automatically', () => {
    expect(catalogue.lookup('130429')).toMatchObject({
      category: 'retryable',
      autoRetry: true,
      minWaitSeconds: 60,
    });
  });

  it('retries API unknown (1) once by hand only', () => {
    const info = catalogue.lookup('1');
    expect(info).toMatchObject({ category: 'retryable', autoRetry: false });
    expect(info.action).toMatch(/once/);
  });

  it('marks account failures such as 190 as account level', () => {
    for (const code of ['190', '0', '3', '10', '200', '131005', '368']) {
      expect(catalogue.lookup(code)).toMatchObject({
        category: 'business-logic',
        accountLevel: true,
        autoRetry: false,
      });
    }
  });

  it('keeps maintenance mode (131057) retryable, not account level', () => {
    expect(catalogue.lookup('131057')).toMatchObject({
      category: 'retryable',
      autoRetry: true,
      accountLevel: false,
    });
  });

  it('resolves unlisted codes in 200-299 as permission errors', () => {
    const info = catalogue.lookup(250);
    expect(info).toEqual({ ...catalogue.lookup('200'), code: '250' });
    expect(info.accountLevel).toBe(true);
  });

  it('gives an unknown code the conservative default with its own code', () => {
    expect(catalogue.lookup(' 999999 ')).toEqual({
      ...UNKNOWN_ERROR_CODE_DEFAULTS,
      code: '999999',
      docsUrl: META_ERROR_CODES_URL,
    });
    expect(UNKNOWN_ERROR_CODE_DEFAULTS).toMatchObject({
      title: 'Unknown error',
      category: 'business-logic',
      autoRetry: false,
      accountLevel: false,
      minWaitSeconds: 3600,
    });
    expect(catalogue.lookup('300').title).toBe('Unknown error');
  });

  it("links Meta's codes to Meta's documentation and our own codes nowhere", () => {
    for (const code of ['131049', '250', '999999']) {
      expect(catalogue.lookup(code).docsUrl).toBe(META_ERROR_CODES_URL);
    }
    for (const code of ['network-error', 'http-5xx', 'unknown-outcome']) {
      expect(catalogue.lookup(code).docsUrl).toBeNull();
    }
    expect(
      WHATSAPP_ERROR_CODES.filter(info => info.docsUrl === null).map(
        info => info.code,
      ),
    ).toEqual(['network-error', 'http-5xx']);
  });
});

describe('ErrorCodeCatalogue overrides', () => {
  it('merges an override into a known code', () => {
    const catalogue = new ErrorCodeCatalogue({
      overrides: { '131049': { minWaitSeconds: 172800, autoRetry: true } },
    });
    expect(catalogue.lookup('131049')).toMatchObject({
      code: '131049',
      title: 'Meta chose not to deliver',
      category: 'business-logic',
      minWaitSeconds: 172800,
      autoRetry: true,
    });
  });

  it('merges an override into an unknown code and lists it', () => {
    const catalogue = new ErrorCodeCatalogue({
      overrides: {
        '140000': { category: 'retryable', autoRetry: true },
        '250': { title: 'Missing WhatsApp permission' },
      },
    });
    expect(catalogue.lookup('140000')).toEqual({
      ...UNKNOWN_ERROR_CODE_DEFAULTS,
      code: '140000',
      docsUrl: META_ERROR_CODES_URL,
      category: 'retryable',
      autoRetry: true,
    });
    expect(catalogue.lookup('250')).toMatchObject({
      title: 'Missing WhatsApp permission',
      accountLevel: true,
    });
    const codes = catalogue.list().map(info => info.code);
    expect(codes).toContain('140000');
    expect(codes).toContain('250');
  });

  it('lets an operator change the manual-retry rule of a code', () => {
    const catalogue = new ErrorCodeCatalogue({
      overrides: {
        '131047': {
          manualRetry: 'allowed',
          rule: 'The customer must have written within the last 24 hours.',
        },
      },
    });
    expect(catalogue.lookup('131047')).toMatchObject({
      manualRetry: 'allowed',
      rule: 'The customer must have written within the last 24 hours.',
      title: 'Re-engagement message',
    });
  });

  it('ignores fields that are explicitly undefined', () => {
    const catalogue = new ErrorCodeCatalogue({
      overrides: { '130429': { title: undefined } },
    });
    expect(catalogue.lookup('130429').title).toBe('Rate limit hit');
  });

  it.each<[ErrorCodeOverride, string]>([
    [
      { category: 'permanent' as any },
      'failedMessages.errorCodes.131049.category must be one of retryable, ' +
        'non-retryable, business-logic',
    ],
    [{ minWaitSeconds: -1 }, 'failedMessages.errorCodes.131049.minWaitSeconds'],
    [
      { minWaitSeconds: Infinity },
      'failedMessages.errorCodes.131049.minWaitSeconds',
    ],
    [{ backoffFactor: 0.5 }, 'failedMessages.errorCodes.131049.backoffFactor'],
    [{ title: '' }, 'failedMessages.errorCodes.131049.title'],
    [{ autoRetry: 'yes' as any }, 'failedMessages.errorCodes.131049.autoRetry'],
    [{ minWait: 10 } as any, 'failedMessages.errorCodes.131049.minWait'],
    [
      { manualRetry: 'sometimes' as any },
      'failedMessages.errorCodes.131049.manualRetry must be one of allowed, ' +
        'after-wait, never',
    ],
    [{ rule: ' ' }, 'failedMessages.errorCodes.131049.rule'],
    [
      { category: 'non-retryable', manualRetry: 'allowed' },
      'failedMessages.errorCodes.131049.manualRetry must be never for a ' +
        'non-retryable code',
    ],
    [
      { docsUrl: 'https://example.com' } as any,
      'failedMessages.errorCodes.131049.docsUrl',
    ],
  ])('rejects the invalid override %p', (override, message) => {
    expect(
      () => new ErrorCodeCatalogue({ overrides: { '131049': override } }),
    ).toThrow(message);
  });
});

describe('ErrorCodeCatalogue.list', () => {
  it('lists every known code, numeric codes in order, then synthetic', () => {
    const codes = new ErrorCodeCatalogue().list().map(info => info.code);
    expect(codes).toHaveLength(WHATSAPP_ERROR_CODES.length);
    expect(codes.slice(0, 5)).toEqual(['0', '1', '2', '3', '4']);
    expect(codes.slice(-2)).toEqual(['http-5xx', 'network-error']);
    const numeric = codes.slice(0, -2).map(Number);
    expect(numeric).toEqual([...numeric].sort((a, b) => a - b));
  });
});

describe('ErrorCodeCatalogue.waitBeforeRetrySeconds', () => {
  const catalogue = new ErrorCodeCatalogue();
  const wait = ErrorCodeCatalogue.waitBeforeRetrySeconds;

  it('follows the documented 4^n backoff of 131056', () => {
    const info = catalogue.lookup('131056');
    expect([0, 1, 2, 3].map(n => wait(info, n))).toEqual([1, 4, 16, 64]);
  });

  it('keeps a fixed wait when there is no backoff factor', () => {
    const info = catalogue.lookup('131049');
    expect(wait(info, 0)).toBe(86400);
    expect(wait(info, 5)).toBe(86400);
  });

  it('caps the wait at 7 days', () => {
    const info = catalogue.lookup('131016');
    expect(wait(info, 0)).toBe(60);
    expect(wait(info, 30)).toBe(7 * 24 * 60 * 60);
  });
});

import {
  CATEGORIES,
  Category,
  ErrorCodeInfo,
  ErrorCodeOverride,
  MANUAL_RETRY_RULES,
  ManualRetry,
} from '../types';
import { metaDocsUrl } from './metaDocs';
import { PERMISSION_ERROR } from './sharedFields';
import { WHATSAPP_ERROR_CODES } from './whatsAppErrorCodes';

/**
 * What a code the catalogue does not know resolves to. Deliberately
 * conservative: an unknown code may well be permanent, and blind automatic
 * resends would burn attempts or annoy customers, so a person decides, and
 * not before an hour has passed.
 *
 * @public
 */
export const UNKNOWN_ERROR_CODE_DEFAULTS: Readonly<
  Omit<ErrorCodeInfo, 'code' | 'docsUrl'>
> = {
  title: 'Unknown error',
  category: 'business-logic',
  meaning: 'WhatsApp reported an error code that is not in our catalogue.',
  action:
    "Look the code up on Meta's WhatsApp error-code page before forcing " +
    'a retry: it may be permanent.',
  minWaitSeconds: 3600,
  autoRetry: false,
  accountLevel: false,
  manualRetry: 'never',
  rule:
    "Someone must look the code up on Meta's error-code page first: it may " +
    'be permanent, so only a forced retry sends it.',
};

// Exponential backoff grows fast; Meta itself gives up on webhooks after a
// week, and a resend later than that is rarely still wanted.
const MAX_WAIT_SECONDS = 7 * 24 * 60 * 60;

const KNOWN_CODES: ReadonlyMap<string, ErrorCodeInfo> = new Map(
  WHATSAPP_ERROR_CODES.map(info => [info.code, info]),
);

function isNumericCode(code: string): boolean {
  return /^\d+$/.test(code);
}

function isInPermissionRange(code: string): boolean {
  return isNumericCode(code) && Number(code) >= 200 && Number(code) <= 299;
}

// Numeric codes first, in numeric order, then synthetic ones alphabetically.
function compareCodes(a: string, b: string): number {
  const aNumeric = isNumericCode(a);
  const bNumeric = isNumericCode(b);
  if (aNumeric && bNumeric) {
    return Number(a) - Number(b);
  }
  if (aNumeric !== bNumeric) {
    return aNumeric ? -1 : 1;
  }
  return a.localeCompare(b);
}

function isNonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isBoolean(value: unknown): boolean {
  return typeof value === 'boolean';
}

// Overrides come from app-config, so their shape is checked at run time.
const FIELD_CHECKS: Record<
  keyof ErrorCodeOverride,
  { valid: (value: unknown) => boolean; rule: string }
> = {
  title: { valid: isNonEmptyString, rule: 'must be a non-empty string' },
  meaning: { valid: isNonEmptyString, rule: 'must be a non-empty string' },
  action: { valid: isNonEmptyString, rule: 'must be a non-empty string' },
  category: {
    valid: value => CATEGORIES.includes(value as Category),
    rule: `must be one of ${CATEGORIES.join(', ')}`,
  },
  minWaitSeconds: {
    valid: value => isFiniteNumber(value) && value >= 0,
    rule: 'must be a finite number of at least 0',
  },
  backoffFactor: {
    valid: value => isFiniteNumber(value) && value >= 1,
    rule: 'must be a finite number of at least 1',
  },
  autoRetry: { valid: isBoolean, rule: 'must be true or false' },
  accountLevel: { valid: isBoolean, rule: 'must be true or false' },
  manualRetry: {
    valid: value => MANUAL_RETRY_RULES.includes(value as ManualRetry),
    rule: `must be one of ${MANUAL_RETRY_RULES.join(', ')}`,
  },
  rule: { valid: isNonEmptyString, rule: 'must be a non-empty string' },
};

/**
 * Checks one override and returns it without unset fields, so that spreading
 * it over an entry never blanks a field.
 */
function validateOverride(code: string, override: unknown): ErrorCodeOverride {
  const path = `failedMessages.errorCodes.${code}`;
  if (typeof override !== 'object' || override === null) {
    throw new Error(`${path} must be an object`);
  }
  const fields = Object.entries(override).filter(
    ([, value]) => value !== undefined,
  );
  for (const [field, value] of fields) {
    // A typo such as `minWait` would otherwise be ignored without a word.
    if (!Object.hasOwn(FIELD_CHECKS, field)) {
      const allowed = Object.keys(FIELD_CHECKS).join(', ');
      throw new Error(`${path}.${field} is not one of ${allowed}`);
    }
    const check = FIELD_CHECKS[field as keyof ErrorCodeOverride];
    if (!check.valid(value)) {
      throw new Error(`${path}.${field} ${check.rule}`);
    }
  }
  return Object.fromEntries(fields);
}

/**
 * Looks up WhatsApp error codes, with operator overrides from app-config
 * (`failedMessages.errorCodes.<code>`) applied on top of the built-in table.
 *
 * @public
 */
export class ErrorCodeCatalogue {
  private readonly overrides: ReadonlyMap<string, ErrorCodeOverride>;

  /** Throws if an override is invalid, naming the code and the field. */
  constructor(options?: { overrides?: Record<string, ErrorCodeOverride> }) {
    this.overrides = new Map(
      Object.entries(options?.overrides ?? {}).map(([code, override]) => [
        code,
        validateOverride(code, override),
      ]),
    );
    for (const code of this.overrides.keys()) {
      const { category, manualRetry } = this.lookup(code);
      // A permanent failure fails the same way every time, forced or not.
      if (category === 'non-retryable' && manualRetry !== 'never') {
        throw new Error(
          `failedMessages.errorCodes.${code}.manualRetry must be never for a ` +
            `non-retryable code (it is ${manualRetry})`,
        );
      }
    }
  }

  /**
   * The entry for a code, with its override applied. Unlisted codes in the
   * 200-299 range are permission errors; any other unknown code gets
   * {@link UNKNOWN_ERROR_CODE_DEFAULTS}. Any numeric code, known or not,
   * links to Meta's documentation.
   */
  lookup(code: string | number): ErrorCodeInfo {
    const key = String(code).trim();
    const base =
      KNOWN_CODES.get(key) ??
      (isInPermissionRange(key)
        ? PERMISSION_ERROR
        : UNKNOWN_ERROR_CODE_DEFAULTS);
    return {
      ...base,
      ...this.overrides.get(key),
      code: key,
      docsUrl: metaDocsUrl(key),
    };
  }

  /** All known codes and every overridden unknown code, in code order. */
  list(): ErrorCodeInfo[] {
    const codes = new Set([...KNOWN_CODES.keys(), ...this.overrides.keys()]);
    return [...codes].sort(compareCodes).map(code => this.lookup(code));
  }

  /**
   * Seconds to wait before the next retry of a message that has already been
   * retried `previousAttempts` times, capped at 7 days.
   */
  static waitBeforeRetrySeconds(
    info: ErrorCodeInfo,
    previousAttempts: number,
  ): number {
    const wait =
      info.backoffFactor === undefined
        ? info.minWaitSeconds
        : info.minWaitSeconds * info.backoffFactor ** previousAttempts;
    return Math.min(wait, MAX_WAIT_SECONDS);
  }
}

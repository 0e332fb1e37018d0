import {
  CATEGORIES,
  Category,
  ErrorCodeInfo,
  ErrorCodeOverride,
} from './types';

// Shared flags of the three kinds of entry that make up most of the table.
const PERMANENT = {
  category: 'non-retryable',
  minWaitSeconds: 0,
  autoRetry: false,
  accountLevel: false,
} as const;

// Account rows: resending before someone fixes the account only burns
// attempts, so they never retry automatically.
const ACCOUNT = {
  category: 'business-logic',
  minWaitSeconds: 0,
  autoRetry: false,
  accountLevel: true,
} as const;

const SERVICE_UNAVAILABLE = {
  title: 'Service unavailable',
  category: 'retryable',
  meaning:
    'WhatsApp was down or overloaded for a moment. Nothing is wrong with ' +
    'the message.',
  action:
    'Nothing to fix. Automatic retries wait longer after each attempt; ' +
    'retry by hand if it is urgent.',
  minWaitSeconds: 60,
  backoffFactor: 2,
  autoRetry: true,
  accountLevel: false,
} as const;

const PERMISSION_ERROR = {
  ...ACCOUNT,
  title: 'Permission error',
  meaning:
    'The access token or the app lacks a permission WhatsApp needs to send ' +
    'this message. This is a problem of the sending account, not of the ' +
    'message.',
  action:
    'Ask a WhatsApp Business admin to check the app permissions and the ' +
    'access token. Automatic retries are paused until then; retry once ' +
    'it is fixed.',
} as const;

const TEMPLATE_PARAMETER_ACTION =
  'Fix the template parameters in the sending system (count, length, ' +
  'format), then send again. Resending the same message fails the same way.';

const NUMBER_NOT_REGISTERED = {
  ...ACCOUNT,
  title: 'Number not registered',
  action:
    'Ask a WhatsApp Business admin to register the sending number with the ' +
    'Cloud API, then retry.',
} as const;

/**
 * The WhatsApp Business Cloud API error codes and what an agent should do
 * about them. Categories and waits follow Meta's error-code documentation;
 * where Meta does not say whether a resend can work, the choice is ours.
 */
export const WHATSAPP_ERROR_CODES: readonly ErrorCodeInfo[] = [
  // Temporary: a resend can succeed.
  {
    code: '130429',
    title: 'Rate limit hit',
    category: 'retryable',
    meaning:
      'The sending number went over its messages-per-second limit. The ' +
      'message itself is fine.',
    action:
      'Nothing to fix. It is retried automatically once traffic is back ' +
      'under the limit; if it keeps happening, spread out large sends.',
    minWaitSeconds: 60,
    autoRetry: true,
    accountLevel: false,
  },
  {
    code: '131056',
    title: 'Pair rate limit hit',
    category: 'retryable',
    meaning:
      'Too many messages went to the same customer in a short time ' +
      '(about one every 6 seconds is allowed).',
    action:
      'Nothing to fix. Retries wait 1, 4, 16, 64 … seconds as Meta ' +
      'documents; avoid sending bursts to one customer.',
    minWaitSeconds: 1,
    backoffFactor: 4,
    autoRetry: true,
    accountLevel: false,
  },
  {
    code: '4',
    title: 'API too many calls',
    category: 'retryable',
    meaning:
      'The app made more WhatsApp API calls than allowed in a rolling hour.',
    action:
      'Wait about an hour; it is retried automatically. If it repeats, ' +
      'ask the developers to reduce the number of API calls.',
    // Meta names no wait; the call limit is counted over a rolling hour.
    minWaitSeconds: 3600,
    autoRetry: true,
    accountLevel: false,
  },
  {
    code: '80007',
    title: 'Rate limit issues',
    category: 'retryable',
    meaning:
      'The WhatsApp Business Account made more requests than allowed in a ' +
      'rolling hour.',
    action:
      'Wait about an hour; it is retried automatically. If it repeats, ' +
      'spread sends over the day.',
    minWaitSeconds: 3600,
    autoRetry: true,
    accountLevel: false,
  },
  {
    code: '133016',
    title: 'Register/deregister rate limit',
    category: 'retryable',
    meaning:
      'The sending number was registered or deregistered too many times in ' +
      'a short period and is blocked for now.',
    action:
      'Stop registering or deregistering the number. It is retried ' +
      'automatically; retry by hand once the number is unblocked.',
    // "Until unblocked" has no documented length; an hour avoids hammering.
    minWaitSeconds: 3600,
    autoRetry: true,
    accountLevel: false,
  },
  {
    code: '1',
    title: 'API unknown',
    category: 'retryable',
    meaning:
      'WhatsApp reported an unknown error; the request may be invalid or ' +
      'WhatsApp may have had a problem.',
    action:
      'Retry once by hand. If it fails again, treat it as permanent and ' +
      'check the message contents with the developers.',
    minWaitSeconds: 60,
    // Retried once by a person, never automatically: a second failure means
    // the request itself is probably wrong.
    autoRetry: false,
    accountLevel: false,
  },
  { code: '2', ...SERVICE_UNAVAILABLE },
  { code: '131016', ...SERVICE_UNAVAILABLE },
  { code: '133004', ...SERVICE_UNAVAILABLE },
  {
    code: '131000',
    title: 'Something went wrong',
    category: 'retryable',
    meaning: 'The message failed for an unknown reason on the WhatsApp side.',
    action:
      'It is retried automatically. If it keeps failing, report it to the ' +
      'developers so they can contact Meta support.',
    minWaitSeconds: 60,
    autoRetry: true,
    accountLevel: false,
  },
  {
    code: '131057',
    title: 'Account in maintenance mode',
    category: 'retryable',
    meaning:
      'The sending account was briefly in maintenance, for example while ' +
      'its throughput is upgraded. It is a short state of the account, not ' +
      'a fault of the message.',
    action:
      'Nothing to fix. The upgrade takes about a minute and the message is ' +
      'retried automatically.',
    minWaitSeconds: 60,
    autoRetry: true,
    accountLevel: false,
  },
  {
    code: '134101',
    title: 'Template still syncing',
    category: 'retryable',
    meaning:
      'The template was created or changed recently and is not yet ready ' +
      'everywhere.',
    action:
      'Nothing to fix. Wait about 10 minutes; it is retried automatically.',
    minWaitSeconds: 600,
    autoRetry: true,
    accountLevel: false,
  },
  {
    code: 'network-error',
    title: 'No answer from WhatsApp',
    category: 'retryable',
    meaning:
      'The request timed out or the connection was refused, so WhatsApp ' +
      'never answered. The message was probably not sent.',
    action:
      'It is retried automatically. If many messages show this, tell the ' +
      'developers: the network or WhatsApp may be down.',
    minWaitSeconds: 60,
    backoffFactor: 2,
    autoRetry: true,
    accountLevel: false,
  },
  {
    code: 'http-5xx',
    title: 'WhatsApp server error',
    category: 'retryable',
    meaning:
      'WhatsApp answered with a server error and no further details. This ' +
      'is usually a short outage.',
    action:
      'It is retried automatically. If many messages show this, tell the ' +
      'developers so they can check the WhatsApp status page.',
    minWaitSeconds: 60,
    backoffFactor: 2,
    autoRetry: true,
    accountLevel: false,
  },

  // A rule or state that can clear later: a person decides.
  {
    code: '131049',
    title: 'Meta chose not to deliver',
    category: 'business-logic',
    meaning:
      'Meta held the message back to protect the customer from too many ' +
      'marketing messages.',
    action:
      'Wait at least 24 hours before sending again, as Meta documents. ' +
      'Consider whether the customer needs this message at all.',
    minWaitSeconds: 86400,
    autoRetry: false,
    accountLevel: false,
  },
  {
    code: '131047',
    title: 'Re-engagement message',
    category: 'business-logic',
    meaning:
      'More than 24 hours passed since the customer last wrote, so only ' +
      'approved templates may be sent.',
    action:
      'Send an approved template instead, or resend once the customer ' +
      'writes again. A plain resend fails the same way.',
    minWaitSeconds: 0,
    autoRetry: false,
    accountLevel: false,
  },
  {
    code: '132015',
    title: 'Template is paused',
    category: 'business-logic',
    meaning:
      'Meta paused the template because customers rated it poorly. It ' +
      'unpauses after 3 hours the first time and 6 hours the second time.',
    action:
      'Wait until the template is active again (check WhatsApp Manager), ' +
      'then retry. Improve the template so it is not paused a third time.',
    minWaitSeconds: 10800,
    autoRetry: false,
    accountLevel: false,
  },
  {
    code: '131048',
    title: 'Spam rate limit hit',
    category: 'business-logic',
    meaning:
      'Sending is restricted because customers flagged earlier messages as ' +
      'spam.',
    action:
      'Check the quality rating in WhatsApp Manager and improve the ' +
      'content. Retry only once the restriction is lifted.',
    // Meta documents no wait; a day keeps resends from deepening the flag.
    minWaitSeconds: 86400,
    autoRetry: false,
    accountLevel: false,
  },
  {
    code: '131064',
    title: 'Template-classification limit',
    category: 'business-logic',
    meaning:
      'Sending is limited because templates were put in the wrong category ' +
      '(for example marketing filed as utility).',
    action:
      'Fix the template categories, then retry after the enforcement ' +
      'period ends.',
    // The enforcement period has no documented length; check daily.
    minWaitSeconds: 86400,
    autoRetry: false,
    accountLevel: false,
  },
  {
    code: '132068',
    title: 'Flow blocked',
    category: 'business-logic',
    meaning: 'The WhatsApp Flow in this message is blocked.',
    action:
      'Ask the flow owner to fix the flow in WhatsApp Manager, then retry.',
    minWaitSeconds: 0,
    autoRetry: false,
    accountLevel: false,
  },
  {
    code: '132069',
    title: 'Flow throttled',
    category: 'business-logic',
    meaning:
      'The WhatsApp Flow in this message already went out 10 times this ' +
      'hour, the limit for a flow in this state.',
    action:
      'Retry in the next hour, and ask the flow owner why the flow is ' +
      'throttled.',
    minWaitSeconds: 3600,
    autoRetry: false,
    accountLevel: false,
  },
  {
    code: '130403',
    title: 'Business blocked user',
    category: 'business-logic',
    meaning: 'The business has blocked this customer on WhatsApp.',
    action:
      'Do not retry while the customer is blocked. Unblock them first if ' +
      'the message should go out.',
    minWaitSeconds: 0,
    autoRetry: false,
    accountLevel: false,
  },

  // Failures of the sending account.
  {
    code: '190',
    ...ACCOUNT,
    title: 'Access token expired',
    meaning:
      'The access token of the sending account has expired, so no message ' +
      'can be sent.',
    action:
      'Ask a WhatsApp Business admin to refresh the access token. ' +
      'Automatic retries are paused and resume after the refresh.',
  },
  {
    code: '0',
    ...PERMISSION_ERROR,
    title: 'Authentication error',
  },
  {
    code: '3',
    ...PERMISSION_ERROR,
    title: 'API method not permitted',
  },
  {
    code: '10',
    ...PERMISSION_ERROR,
    title: 'Permission denied',
  },
  // Stands for the whole 200-299 range: see ErrorCodeCatalogue.lookup.
  { code: '200', ...PERMISSION_ERROR },
  {
    code: '131005',
    ...PERMISSION_ERROR,
    title: 'Access denied',
  },
  {
    code: '368',
    ...ACCOUNT,
    title: 'Temporarily blocked for policy violations',
    meaning:
      'Meta restricted the sending account for breaking WhatsApp policies.',
    action:
      'Ask a WhatsApp Business admin to check Account Quality in WhatsApp ' +
      'Manager and appeal if it is wrong. Retry after the restriction ends.',
  },
  {
    code: '131031',
    ...ACCOUNT,
    title: 'Account locked',
    meaning:
      'The sending account is locked, because of a policy violation or a ' +
      'failed data check.',
    action:
      'Ask a WhatsApp Business admin to resolve the lock in WhatsApp ' +
      'Manager. Retry once the account is unlocked.',
  },
  {
    code: '131042',
    ...ACCOUNT,
    title: 'Business eligibility payment issue',
    meaning:
      'There is a billing problem on the sending account, such as a ' +
      'missing payment method or an exhausted credit line.',
    action:
      'Ask the account owner to fix billing in WhatsApp Manager, then ' +
      'retry.',
  },
  {
    code: '131045',
    ...ACCOUNT,
    title: 'Incorrect certificate',
    meaning:
      'The sending number was not registered correctly, so its certificate ' +
      'is not valid.',
    action:
      'Ask a WhatsApp Business admin to register the sending number again, ' +
      'then retry.',
  },
  {
    code: '133000',
    ...NUMBER_NOT_REGISTERED,
    meaning:
      'The sending number is not fully registered, for example because an ' +
      'earlier deregistration did not finish.',
  },
  {
    code: '133010',
    ...NUMBER_NOT_REGISTERED,
    meaning: 'The sending number is not registered with the Cloud API.',
  },
  {
    code: '131030',
    ...ACCOUNT,
    title: 'Recipient not in allowed list',
    meaning:
      'The message was sent from a test number, which may only message ' +
      'numbers on its allowed list.',
    action:
      "Add the customer's number to the test number's allowed list, or " +
      'send from a production number, then retry.',
  },
  {
    code: '131063',
    ...ACCOUNT,
    title: 'Marketing disabled on Cloud API',
    meaning:
      'A setting on the sending account blocks marketing templates through ' +
      'the Cloud API.',
    action:
      'Ask a WhatsApp Business admin to change the setting, or send ' +
      'marketing messages through the other API Meta offers, then retry.',
  },

  // Permanent: resending the same message fails the same way.
  {
    code: '33',
    ...PERMANENT,
    title: 'Parameter value is not valid',
    meaning: 'The business phone number used to send was deleted.',
    action:
      'Do not retry. Ask the developers to send from a phone number that ' +
      'still exists.',
  },
  {
    code: '100',
    ...PERMANENT,
    title: 'Invalid parameter',
    meaning: 'The request contained an unsupported or misspelled parameter.',
    action:
      'Do not retry. Report it to the developers so they fix the request.',
  },
  {
    code: '131008',
    ...PERMANENT,
    title: 'Required parameter missing',
    meaning: 'The message was missing a required field.',
    action:
      'Do not retry. Report it to the developers so they fix the request.',
  },
  {
    code: '131009',
    ...PERMANENT,
    title: 'Parameter value not valid',
    meaning: 'A field in the message had a value WhatsApp does not accept.',
    action:
      'Do not retry. Report it to the developers so they fix the request.',
  },
  {
    code: '131021',
    ...PERMANENT,
    title: 'Recipient cannot be sender',
    meaning: 'The message was addressed to the number that sends it.',
    action:
      "Do not retry. Correct the customer's phone number in the source " +
      'system.',
  },
  {
    code: '131026',
    ...PERMANENT,
    title: 'Message undeliverable',
    meaning:
      'The number is not on WhatsApp, the customer has not accepted the ' +
      'latest terms, or their WhatsApp app is too old.',
    action:
      'Do not retry. Check the phone number, or reach the customer through ' +
      'another channel.',
  },
  {
    code: '131050',
    ...PERMANENT,
    title: 'User stopped marketing messages',
    meaning: 'The customer opted out of marketing messages from the business.',
    action:
      'Never resend: it is a compliance rule. Send marketing again only if ' +
      'the customer opts back in.',
  },
  {
    code: '131051',
    ...PERMANENT,
    title: 'Unsupported message type',
    meaning: 'WhatsApp does not support this type of message.',
    action: 'Do not retry. Ask the developers to use a supported message type.',
  },
  {
    code: '131053',
    ...PERMANENT,
    title: 'Media upload error',
    meaning:
      'The attached image, video or document is of an unsupported type or ' +
      'could not be downloaded.',
    action:
      'Check the file type and that its link works. If our media server ' +
      'was down, retry by hand once it is back; otherwise fix the file.',
  },
  {
    code: '130472',
    ...PERMANENT,
    title: 'Number part of an experiment',
    meaning:
      'Meta held the message back because the customer is part of a Meta ' +
      'experiment.',
    action: 'Do not retry. Reach the customer through another channel.',
  },
  {
    code: '130497',
    ...PERMANENT,
    title: 'Country restriction',
    meaning:
      "The business may not message customers in this customer's country.",
    action: 'Do not retry. Reach the customer through another channel.',
  },
  {
    code: '132000',
    ...PERMANENT,
    title: 'Template parameter count mismatch',
    meaning:
      'The number of values sent does not match the placeholders in the ' +
      'template.',
    action: TEMPLATE_PARAMETER_ACTION,
  },
  {
    code: '132005',
    ...PERMANENT,
    title: 'Template text too long',
    meaning: 'The template text with its values filled in is too long.',
    action: TEMPLATE_PARAMETER_ACTION,
  },
  {
    code: '132007',
    ...PERMANENT,
    title: 'Template format policy violated',
    meaning: 'A template value breaks WhatsApp formatting or content rules.',
    action: TEMPLATE_PARAMETER_ACTION,
  },
  {
    code: '132012',
    ...PERMANENT,
    title: 'Template parameter format mismatch',
    meaning:
      'A template value has the wrong format, for example text where an ' +
      'image is expected.',
    action: TEMPLATE_PARAMETER_ACTION,
  },
  {
    code: '132001',
    ...PERMANENT,
    title: 'Template does not exist',
    meaning:
      'No approved template has this name and language: it is misspelled, ' +
      'in another language, or not approved yet.',
    action:
      'Check the template name and language in WhatsApp Manager and fix ' +
      'them in the sending system, then send again.',
  },
  {
    code: '132016',
    ...PERMANENT,
    title: 'Template disabled',
    meaning:
      'The template was paused for the third time and is now disabled for ' +
      'good.',
    action:
      'Do not retry. Create a new, improved template and send that instead.',
  },
  {
    code: '135000',
    ...PERMANENT,
    title: 'Generic user error',
    meaning:
      'Something in the request was wrong, but WhatsApp did not say what.',
    action:
      'Do not retry. Report it to the developers so they check the request.',
  },

  // No longer on Meta's page, but still reported by older integrations.
  {
    code: '131001',
    ...PERMANENT,
    title: 'Message too long',
    meaning: 'The message text is longer than WhatsApp allows.',
    action: 'Do not retry. Shorten the message, then send it again.',
  },
  {
    code: '131002',
    ...PERMANENT,
    title: 'Invalid recipient type',
    meaning: 'The message used a recipient type WhatsApp does not support.',
    action:
      'Do not retry. Report it to the developers so they fix the request.',
  },
  {
    code: '131006',
    ...PERMANENT,
    title: 'Resource not found',
    meaning:
      'Something the message refers to, such as a media file, does not ' +
      'exist.',
    action:
      'Do not retry as is. Check that the referenced file or item exists, ' +
      'then send again.',
  },
  {
    code: '131043',
    title: 'Message expired',
    // The customer was unreachable until the message expired; whether it is
    // still worth sending depends on its content (a one-time code is not).
    category: 'business-logic',
    meaning:
      'The message could not be delivered before it expired, usually ' +
      "because the customer's phone was offline for a long time.",
    action:
      'Decide whether the message is still relevant. If it is, resend it; ' +
      'if not, close it.',
    minWaitSeconds: 0,
    autoRetry: false,
    accountLevel: false,
  },
];

/**
 * What a code the catalogue does not know resolves to. Deliberately
 * conservative: an unknown code may well be permanent, and blind automatic
 * resends would burn attempts or annoy customers, so a person decides, and
 * not before an hour has passed.
 */
export const UNKNOWN_ERROR_CODE_DEFAULTS: Readonly<
  Omit<ErrorCodeInfo, 'code'>
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
  }

  /**
   * The entry for a code, with its override applied. Unlisted codes in the
   * 200-299 range are permission errors; any other unknown code gets
   * {@link UNKNOWN_ERROR_CODE_DEFAULTS}.
   */
  lookup(code: string | number): ErrorCodeInfo {
    const key = String(code).trim();
    const base =
      KNOWN_CODES.get(key) ??
      (isInPermissionRange(key)
        ? PERMISSION_ERROR
        : UNKNOWN_ERROR_CODE_DEFAULTS);
    return { ...base, ...this.overrides.get(key), code: key };
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

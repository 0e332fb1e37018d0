// Fields shared by many entries of the catalogue: the flags of the three
// kinds of entry that make up most of the table, and repeated texts.
export const PERMANENT = {
  category: 'non-retryable',
  minWaitSeconds: 0,
  autoRetry: false,
  accountLevel: false,
  manualRetry: 'never',
} as const;

// Account rows: resending before someone fixes the account only burns
// attempts, so they never retry automatically. A person who knows it is
// fixed may resend at once, after confirming the rule.
export const ACCOUNT = {
  category: 'business-logic',
  minWaitSeconds: 0,
  autoRetry: false,
  accountLevel: true,
  manualRetry: 'allowed',
} as const;

export const SERVICE_UNAVAILABLE = {
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
  manualRetry: 'after-wait',
  rule: 'Only time: WhatsApp must be back up, usually within minutes.',
} as const;

export const PERMISSION_ERROR = {
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
  rule:
    'A WhatsApp Business admin must give the app and its access token the ' +
    'missing permission; once they have, the message can be resent.',
} as const;

export const TEMPLATE_PARAMETER_ACTION =
  'Fix the template parameters in the sending system (count, length, ' +
  'format), then send again. Resending the same message fails the same way.';

export const TEMPLATE_PARAMETER_RULE =
  'The template values must be fixed in the sending system; resending the ' +
  'same message fails the same way.';

export const NUMBER_NOT_REGISTERED = {
  ...ACCOUNT,
  title: 'Number not registered',
  rule:
    'The sending number must be registered with the Cloud API; until then ' +
    'a resend fails the same way.',
  action:
    'Ask a WhatsApp Business admin to register the sending number with the ' +
    'Cloud API, then retry.',
} as const;

// Fields shared by many entries of the catalogue: the flags of the three
// kinds of entry that make up most of the table, and repeated texts.
export const PERMANENT = {
  category: 'non-retryable',
  minWaitSeconds: 0,
  autoRetry: false,
  accountLevel: false,
} as const;

// Account rows: resending before someone fixes the account only burns
// attempts, so they never retry automatically.
export const ACCOUNT = {
  category: 'business-logic',
  minWaitSeconds: 0,
  autoRetry: false,
  accountLevel: true,
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
} as const;

export const TEMPLATE_PARAMETER_ACTION =
  'Fix the template parameters in the sending system (count, length, ' +
  'format), then send again. Resending the same message fails the same way.';

export const NUMBER_NOT_REGISTERED = {
  ...ACCOUNT,
  title: 'Number not registered',
  action:
    'Ask a WhatsApp Business admin to register the sending number with the ' +
    'Cloud API, then retry.',
} as const;

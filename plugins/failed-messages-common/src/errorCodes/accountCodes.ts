import { CatalogueEntry } from './metaDocs';
import {
  ACCOUNT,
  PERMISSION_ERROR,
  NUMBER_NOT_REGISTERED,
} from './sharedFields';

/** Failures of the sending account. */
export const ACCOUNT_CODES: readonly CatalogueEntry[] = [
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
    rule:
      'A WhatsApp Business admin must refresh the access token; once ' +
      'refreshed, the message can be resent.',
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
    rule:
      "Meta's restriction on the account must end or be lifted on appeal; " +
      'until then a resend fails the same way.',
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
    rule:
      'The account must be unlocked in WhatsApp Manager; until then a resend ' +
      'fails the same way.',
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
    rule:
      'The account owner must fix billing in WhatsApp Manager; until then a ' +
      'resend fails the same way.',
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
    rule:
      'The sending number must be registered again; until then a resend fails ' +
      'the same way.',
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
    rule:
      "The customer's number must be on the test number's allowed list, or " +
      'the message must go out from a production number.',
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
    rule:
      'Marketing templates must be enabled for the Cloud API on the account; ' +
      'until then a resend fails the same way.',
  },
];

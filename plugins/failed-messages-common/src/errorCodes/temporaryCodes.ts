import { CatalogueEntry } from './metaDocs';
import { SERVICE_UNAVAILABLE } from './sharedFields';

/** Temporary: a resend can succeed. */
export const TEMPORARY_CODES: readonly CatalogueEntry[] = [
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
    manualRetry: 'after-wait',
    rule:
      'Only time: the sending number must be back under its ' +
      'messages-per-second limit, which the wait gives it.',
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
    manualRetry: 'after-wait',
    rule:
      'Only time: the customer must get no other message for a few seconds, ' +
      'longer after each attempt.',
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
    manualRetry: 'after-wait',
    rule:
      "Only time: the app's API calls over the last hour must fall back under " +
      "Meta's limit.",
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
    manualRetry: 'after-wait',
    rule:
      "Only time: the account's requests over the last hour must fall back " +
      "under Meta's limit.",
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
    manualRetry: 'after-wait',
    rule:
      'The sending number must be unblocked, which happens by itself once ' +
      'nobody registers or deregisters it for a while.',
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
    manualRetry: 'after-wait',
    rule:
      'Probably nothing: one resend by hand after a minute; if that fails ' +
      'too, the developers must fix the request.',
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
    manualRetry: 'after-wait',
    rule:
      'Only time: the problem on the WhatsApp side must clear; if resends ' +
      'keep failing, Meta support must look at it.',
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
    manualRetry: 'after-wait',
    rule:
      "Only time: the account's maintenance must end, which takes about a " +
      'minute.',
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
    manualRetry: 'after-wait',
    rule:
      'Only time: the template must finish syncing, about 10 minutes after it ' +
      'was created or changed.',
  },
  {
    code: 'network-error',
    title: 'Could not reach WhatsApp',
    category: 'retryable',
    meaning:
      'The connection to WhatsApp failed (refused, name lookup, TLS or no ' +
      'connection in time) before the request was sent, so the message was ' +
      'not sent. A request that was sent but got no answer is an unknown ' +
      'outcome instead, never this.',
    action:
      'It is retried automatically. If many messages show this, tell the ' +
      'developers: the network or WhatsApp may be down.',
    minWaitSeconds: 60,
    backoffFactor: 2,
    autoRetry: true,
    accountLevel: false,
    manualRetry: 'after-wait',
    rule:
      'The connection to WhatsApp must work again; nothing about the message ' +
      'must change.',
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
    manualRetry: 'after-wait',
    rule: 'Only time: WhatsApp must recover from its server error.',
  },
];

import { CatalogueEntry } from './metaDocs';

/** A rule or state that can clear later: a person decides. */
export const CONDITIONAL_CODES: readonly CatalogueEntry[] = [
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
    manualRetry: 'after-wait',
    rule:
      'At least 24 hours must pass, as Meta documents, before Meta lets ' +
      'another marketing message reach this customer.',
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
    manualRetry: 'never',
    rule:
      'The customer must write to the business first: outside the 24-hour ' +
      'window only a template message can reach them, so a free-form resend ' +
      'cannot. Send an approved template instead.',
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
    manualRetry: 'after-wait',
    rule:
      'Meta must re-enable the template, 3 hours after the first pause and 6 ' +
      'hours after the second; while it is paused a resend fails the same ' +
      'way.',
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
    manualRetry: 'after-wait',
    rule:
      'Meta must lift the spam restriction on the account; it names no date, ' +
      'so check the quality rating after a day before resending.',
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
    manualRetry: 'after-wait',
    rule:
      'The enforcement period for wrongly categorised templates must end; ' +
      'check after a day before resending.',
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
    manualRetry: 'allowed',
    rule:
      'The flow owner must unblock the flow in WhatsApp Manager; once they ' +
      'have, the message can be resent.',
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
    manualRetry: 'after-wait',
    rule:
      'The next hour must begin: a throttled flow goes out at most 10 times ' +
      'an hour.',
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
    manualRetry: 'allowed',
    rule:
      'The business must unblock the customer on WhatsApp; once it has, the ' +
      'message can be resent.',
  },
];

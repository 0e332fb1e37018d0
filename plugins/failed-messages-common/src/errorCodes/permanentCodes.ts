import { CatalogueEntry } from './metaDocs';
import {
  PERMANENT,
  TEMPLATE_PARAMETER_ACTION,
  TEMPLATE_PARAMETER_RULE,
} from './sharedFields';

/** Permanent: resending the same message fails the same way. */
export const PERMANENT_CODES: readonly CatalogueEntry[] = [
  {
    code: '33',
    ...PERMANENT,
    title: 'Parameter value is not valid',
    meaning: 'The business phone number used to send was deleted.',
    action:
      'Do not retry. Ask the developers to send from a phone number that ' +
      'still exists.',
    rule:
      'The message must go out from a business number that still exists; ' +
      'resending this one cannot work.',
  },
  {
    code: '100',
    ...PERMANENT,
    title: 'Invalid parameter',
    meaning: 'The request contained an unsupported or misspelled parameter.',
    action:
      'Do not retry. Report it to the developers so they fix the request.',
    rule:
      'The developers must fix the request; resending the same message fails ' +
      'the same way.',
  },
  {
    code: '131008',
    ...PERMANENT,
    title: 'Required parameter missing',
    meaning: 'The message was missing a required field.',
    action:
      'Do not retry. Report it to the developers so they fix the request.',
    rule:
      'The developers must add the missing field; resending the same message ' +
      'fails the same way.',
  },
  {
    code: '131009',
    ...PERMANENT,
    title: 'Parameter value not valid',
    meaning: 'A field in the message had a value WhatsApp does not accept.',
    action:
      'Do not retry. Report it to the developers so they fix the request.',
    rule:
      'The developers must fix the value WhatsApp refused; resending the same ' +
      'message fails the same way.',
  },
  {
    code: '131021',
    ...PERMANENT,
    title: 'Recipient cannot be sender',
    meaning: 'The message was addressed to the number that sends it.',
    action:
      "Do not retry. Correct the customer's phone number in the source " +
      'system.',
    rule:
      "The customer's phone number must be corrected in the source system; " +
      'resending this one cannot work.',
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
    rule:
      'The customer must be reachable on WhatsApp (a WhatsApp number, the ' +
      'latest terms accepted, a current app); resending cannot change that.',
  },
  {
    code: '131050',
    ...PERMANENT,
    title: 'User stopped marketing messages',
    meaning: 'The customer opted out of marketing messages from the business.',
    action:
      'Never resend: it is a compliance rule. Send marketing again only if ' +
      'the customer opts back in.',
    rule:
      'The customer must opt back in to marketing messages; until then a ' +
      'resend breaks a compliance rule.',
  },
  {
    code: '131051',
    ...PERMANENT,
    title: 'Unsupported message type',
    meaning: 'WhatsApp does not support this type of message.',
    action: 'Do not retry. Ask the developers to use a supported message type.',
    rule:
      'The message must use a type WhatsApp supports; resending this one ' +
      'cannot work.',
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
    rule:
      'The file must be of a supported type and its link must work; resending ' +
      'the same message fails the same way.',
  },
  {
    code: '130472',
    ...PERMANENT,
    title: 'Number part of an experiment',
    meaning:
      'Meta held the message back because the customer is part of a Meta ' +
      'experiment.',
    action: 'Do not retry. Reach the customer through another channel.',
    rule:
      'Meta must take the customer out of its experiment, which nobody can ' +
      'ask for; reach them another way.',
  },
  {
    code: '130497',
    ...PERMANENT,
    title: 'Country restriction',
    meaning:
      "The business may not message customers in this customer's country.",
    action: 'Do not retry. Reach the customer through another channel.',
    rule:
      'The business must be allowed to message customers in this country, ' +
      'which it is not; reach them another way.',
  },
  {
    code: '132000',
    ...PERMANENT,
    title: 'Template parameter count mismatch',
    meaning:
      'The number of values sent does not match the placeholders in the ' +
      'template.',
    action: TEMPLATE_PARAMETER_ACTION,
    rule: TEMPLATE_PARAMETER_RULE,
  },
  {
    code: '132005',
    ...PERMANENT,
    title: 'Template text too long',
    meaning: 'The template text with its values filled in is too long.',
    action: TEMPLATE_PARAMETER_ACTION,
    rule: TEMPLATE_PARAMETER_RULE,
  },
  {
    code: '132007',
    ...PERMANENT,
    title: 'Template format policy violated',
    meaning: 'A template value breaks WhatsApp formatting or content rules.',
    action: TEMPLATE_PARAMETER_ACTION,
    rule: TEMPLATE_PARAMETER_RULE,
  },
  {
    code: '132012',
    ...PERMANENT,
    title: 'Template parameter format mismatch',
    meaning:
      'A template value has the wrong format, for example text where an ' +
      'image is expected.',
    action: TEMPLATE_PARAMETER_ACTION,
    rule: TEMPLATE_PARAMETER_RULE,
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
    rule:
      'The template name and language must match an approved template; ' +
      'resending the same message fails the same way.',
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
    rule:
      'A new, approved template must replace the disabled one; resending this ' +
      'message cannot work.',
  },
  {
    code: '135000',
    ...PERMANENT,
    title: 'Generic user error',
    meaning:
      'Something in the request was wrong, but WhatsApp did not say what.',
    action:
      'Do not retry. Report it to the developers so they check the request.',
    rule:
      'The developers must find and fix what is wrong in the request; ' +
      'resending the same message fails the same way.',
  },

  // No longer on Meta's page, but still reported by older integrations.
  {
    code: '131001',
    ...PERMANENT,
    title: 'Message too long',
    meaning: 'The message text is longer than WhatsApp allows.',
    action: 'Do not retry. Shorten the message, then send it again.',
    rule:
      'The message must be shortened; resending it as it is fails the same ' +
      'way.',
  },
  {
    code: '131002',
    ...PERMANENT,
    title: 'Invalid recipient type',
    meaning: 'The message used a recipient type WhatsApp does not support.',
    action:
      'Do not retry. Report it to the developers so they fix the request.',
    rule:
      'The developers must fix the recipient type; resending the same message ' +
      'fails the same way.',
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
    rule:
      'The file or item the message refers to must exist; resending it as it ' +
      'is fails the same way.',
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
    manualRetry: 'allowed',
    rule:
      'Nothing must change to reach the customer, but the message must still ' +
      'be worth sending: resend it only if its content still holds (a ' +
      'one-time code does not).',
  },
];

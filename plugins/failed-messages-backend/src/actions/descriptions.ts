/** What the categories and retry statuses mean, for the agent reading an action's description. */
export const VOCABULARY = [
  'Vocabulary:',
  '- category: how a failure can be recovered.',
  '  "retryable" = a temporary problem at Meta or the network (rate limits, outages); a retry is likely to succeed.',
  '  "non-retryable" = the message cannot be delivered as sent (invalid number, recipient not on WhatsApp, recipient opted out, template rejected); retrying will fail again.',
  '  "business-logic" = blocked by a WhatsApp business rule or account state (per-user marketing limit, 24-hour window closed, template paused, token or payment problem); it may clear later, a person decides.',
  '- retryStatus: where a message stands in its retry life cycle.',
  '  "never-retried" = no retry yet; "retrying" = a retry is being sent right now;',
  '  "retry-failed" = the last retry failed; "max-attempts-reached" = automatic retries gave up;',
  '  "retry-succeeded" = a retry was accepted by Meta; "outcome-unknown" = a send was started but its result was never recorded (do not blindly resend).',
].join('\n');

/**
 * How the filters combine. What each key takes is in its own description,
 * from the OpenAPI document, and is not repeated here.
 */
export const FILTER_HELP =
  'Filters (all optional) are combined with AND; category, errorCode, retryStatus, state and phoneNumberId (the business number a message was sent from) are lists, any of whose values matches; from/to win over age.';

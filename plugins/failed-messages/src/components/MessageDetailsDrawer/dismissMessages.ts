/**
 * The texts of Dismiss and Reopen in a message's details, part of
 * `failedMessagesTranslationRef` (under `dismiss`); kept here so that
 * translation.ts stays readable.
 */
export const dismissMessages = {
  dismiss: 'Dismiss',
  reopen: 'Reopen',
  dialogTitle: 'Dismiss this failure?',
  dialogText:
    'Dismiss a failure that needs no resend: the customer was reached another way, a duplicate, a test. It leaves the open failures, the automatic run and bulk retries, and nothing is sent, until someone reopens it.',
  reason: 'Reason',
  reasonHelp: 'Required: why no resend is needed; shown in the history',
  cancel: 'Cancel',
  confirm: 'Dismiss',
  dismissFailed: 'Could not dismiss the message: {{error}}',
  reopenFailed: 'Could not reopen the message: {{error}}',
} as const;

/**
 * What the summary cards say they count, part of
 * `failedMessagesTranslationRef` (under `summaryCards.counting`); kept here
 * so that translation.ts stays readable.
 */
export const countingMessages = {
  open: 'Counting open failures that match the filters',
  resolved: 'Counting resolved failures that match the filters',
  dismissed: 'Counting dismissed failures that match the filters',
  states: 'Counting failures that are {{states}} and match the filters',
  everyState: 'Counting failures in every state that match the filters',
  stateWords: {
    open: 'open',
    resolved: 'resolved',
    dismissed: 'dismissed',
  },
  stateWordsJoin: '{{first}} or {{second}}',
} as const;

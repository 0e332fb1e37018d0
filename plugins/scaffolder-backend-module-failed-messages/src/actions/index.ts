export { createRetryFailedMessagesAction } from './retry';
export { createFailedMessagesSummaryAction } from './summary';
export type { FailedMessagesActionsOptions } from './client';

import { createGetFailedMessageAction } from './createGetFailedMessageAction';
import { createGetFailedMessagesSummaryAction } from './createGetFailedMessagesSummaryAction';
import { createGetRetryStatisticsAction } from './createGetRetryStatisticsAction';
import { createListFailedMessagesAction } from './createListFailedMessagesAction';
import { createRetryFailedMessageAction } from './createRetryFailedMessageAction';
import { createStartBulkRetryAction } from './createStartBulkRetryAction';
import { FailedMessagesActionsOptions } from './actionOptions';

export type { FailedMessagesActionsOptions } from './actionOptions';

/**
 * Registers the failed-messages actions for AI clients (MCP). Each is
 * visible only to callers with its permission, and checks it again when
 * called, as the HTTP routes do.
 */
export function registerFailedMessagesActions(
  options: FailedMessagesActionsOptions,
): void {
  createListFailedMessagesAction(options);
  createGetFailedMessageAction(options);
  createGetFailedMessagesSummaryAction(options);
  createGetRetryStatisticsAction(options);
  createRetryFailedMessageAction(options);
  createStartBulkRetryAction(options);
}

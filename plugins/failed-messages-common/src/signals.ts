import { BulkRetryStatus } from './types';

/**
 * The signals channel on which the backend announces changes to failed messages.
 *
 * @public
 */
export const FAILED_MESSAGES_SIGNAL_CHANNEL = 'failed-messages';

/**
 * What the backend publishes on {@link FAILED_MESSAGES_SIGNAL_CHANNEL}. It only
 * says that something changed: readers fetch the data again with their own
 * permissions, so a signal never carries message content.
 *
 * @public
 */
export type FailedMessagesSignal =
  /** Messages were added, retried or removed; lists and counts are stale. */
  | { type: 'messages-changed' }
  /** A bulk retry made progress or finished. */
  | { type: 'bulk-retry'; bulkRetryId: string; status: BulkRetryStatus };

import { createPermission } from '@backstage/plugin-permission-common';

/**
 * See failed messages, their details, the summary and the error-code catalogue.
 *
 * @public
 */
export const failedMessagesReadPermission = createPermission({
  name: 'failed-messages.message.read',
  attributes: { action: 'read' },
});

/**
 * Retry a single failed message.
 *
 * @public
 */
export const failedMessagesRetryPermission = createPermission({
  name: 'failed-messages.message.retry',
  attributes: { action: 'update' },
});

/**
 * Override retry safety: retry with `force: true` despite the wait, an unknown
 * outcome, a newer delivery or the error's rule, and settle a send whose
 * outcome is unknown by hand. Admins only by default.
 *
 * @public
 */
export const failedMessagesForceRetryPermission = createPermission({
  name: 'failed-messages.message.force-retry',
  attributes: { action: 'update' },
});

/**
 * Start and cancel bulk retries, and trigger the automatic run.
 *
 * @public
 */
export const failedMessagesBulkRetryPermission = createPermission({
  name: 'failed-messages.message.bulk-retry',
  attributes: { action: 'update' },
});

/**
 * See retry statistics.
 *
 * @public
 */
export const failedMessagesStatisticsReadPermission = createPermission({
  name: 'failed-messages.statistics.read',
  attributes: { action: 'read' },
});

/** @public */
export const failedMessagesPermissions = [
  failedMessagesReadPermission,
  failedMessagesRetryPermission,
  failedMessagesForceRetryPermission,
  failedMessagesBulkRetryPermission,
  failedMessagesStatisticsReadPermission,
];

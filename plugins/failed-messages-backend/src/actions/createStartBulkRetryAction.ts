import {
  createFailedMessageFilterShape,
  failedMessagesBulkRetryPermission,
} from '@msgops/plugin-failed-messages-common';
import { audited } from '../service/audited';
import { principalRef, readBulkRetryBody } from '../service/retryRequests';
import { FILTER_HELP, VOCABULARY } from './descriptions';
import {
  DESTRUCTIVE,
  FailedMessagesActionsOptions,
  json,
} from './actionOptions';
import { requirePermissionOf } from '../permissions/requirePermission';

export function createStartBulkRetryAction(
  options: FailedMessagesActionsOptions,
) {
  const { auditor, bulkRetries } = options;
  options.actionsRegistry.register({
    name: 'start-bulk-retry',
    title: 'Start a bulk retry of failed WhatsApp messages',
    description: [
      'Retries many failed WhatsApp messages in the background. THIS SENDS REAL WHATSAPP MESSAGES to every eligible recipient.',
      'Give exactly one of ids (a list of message ids) or filter (the filters of list-failed-messages; {} means every message).',
      'Run it with dryRun: true first: it sends nothing and returns how many messages match (matched), how many would be retried (eligible)',
      'and why the others would be skipped. Only then start it for real, ideally after a person confirmed the numbers.',
      'Without dryRun it returns { bulkRetry } with its id, status and counters (total, processed, succeeded, failed, skipped);',
      'messages that are not eligible when their turn comes are skipped, never forced.',
      FILTER_HELP,
      VOCABULARY,
    ].join('\n'),
    attributes: DESTRUCTIVE,
    visibilityPermission: failedMessagesBulkRetryPermission,
    schema: {
      input: z =>
        z.object({
          ids: z
            .array(z.string().min(1).max(36))
            .min(1)
            .max(10_000)
            .optional()
            .describe('Ids of the messages to retry'),
          filter: z
            .object(createFailedMessageFilterShape(z))
            .optional()
            .describe('Retry the messages matching these filters'),
          dryRun: z
            .boolean()
            .optional()
            .describe('Only report what would happen; sends nothing'),
          reason: z
            .string()
            .max(500)
            .optional()
            .describe('Why the messages are retried; recorded with the run'),
        }),
      output: z =>
        z.object({
          matched: z.number().optional().describe('Dry run: messages matched'),
          eligible: z
            .number()
            .optional()
            .describe('Dry run: messages that would be retried'),
          skipped: z
            .array(z.object({ reason: z.string(), count: z.number() }))
            .optional()
            .describe('Dry run: why the others would be skipped'),
          bulkRetry: z
            .object({ id: z.string(), status: z.string() })
            .passthrough()
            .optional()
            .describe('The started bulk retry'),
        }),
    },
    action: async ({ input, credentials }) => {
      await requirePermissionOf(
        options.permissions,
        credentials,
        failedMessagesBulkRetryPermission,
      );
      const { scope, dryRun, reason } = readBulkRetryBody(input);
      if (dryRun) {
        return { output: json(await bulkRetries.preview(scope)) };
      }
      const createdBy = principalRef(credentials) ?? 'unknown';
      const bulkRetry = await audited(
        auditor,
        {
          eventId: 'bulk-retry-start',
          meta: {
            scope: 'ids' in scope ? { ids: scope.ids.length } : 'filter',
            actor: createdBy,
            reason,
            via: 'action',
          },
        },
        () =>
          bulkRetries.start({ scope, reason, createdBy, trigger: 'action' }),
      );
      return { output: { bulkRetry: json(bulkRetry) } };
    },
  });
}

import {
  createFailedMessageFilterShape,
  failedMessagesReadPermission,
} from '@msgops/plugin-failed-messages-common';
import { parseFilterQuery } from '../service/queryParameters';
import { FILTER_HELP, VOCABULARY } from './descriptions';
import { FailedMessagesActionsOptions, json, READ_ONLY } from './actionOptions';
import { requirePermissionOf } from '../permissions/requirePermission';

export function createGetFailedMessagesSummaryAction(
  options: FailedMessagesActionsOptions,
) {
  options.actionsRegistry.register({
    name: 'get-failed-messages-summary',
    title: 'Summarize failed WhatsApp messages',
    description: [
      'Counts failed WhatsApp messages matching the filters: total, and how many are retryable, nonRetryable and businessLogic (by category).',
      FILTER_HELP,
      VOCABULARY,
    ].join('\n'),
    attributes: READ_ONLY,
    visibilityPermission: failedMessagesReadPermission,
    schema: {
      input: z => z.object(createFailedMessageFilterShape(z)),
      output: z =>
        z.object({
          total: z.number(),
          retryable: z.number(),
          nonRetryable: z.number(),
          businessLogic: z.number(),
        }),
    },
    action: async ({ input, credentials }) => {
      await requirePermissionOf(
        options.permissions,
        credentials,
        failedMessagesReadPermission,
      );
      const summary = await options.store.summarize(parseFilterQuery(input));
      return { output: json(summary) };
    },
  });
}

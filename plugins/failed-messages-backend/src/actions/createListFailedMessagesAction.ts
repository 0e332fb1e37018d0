import {
  createFailedMessageFilterShape,
  failedMessagesReadPermission,
  SORT_FIELDS,
} from '@msgops/plugin-failed-messages-common';
import { parseListQuery } from '../service/queryParameters';
import { FILTER_HELP, VOCABULARY } from './descriptions';
import { FailedMessagesActionsOptions, json, READ_ONLY } from './actionOptions';
import { requirePermissionOf } from '../permissions/requirePermission';

export function createListFailedMessagesAction(
  options: FailedMessagesActionsOptions,
) {
  options.actionsRegistry.register({
    name: 'list-failed-messages',
    title: 'List failed WhatsApp messages',
    description: [
      'Lists outbound WhatsApp messages that failed to be delivered, newest failure first by default, one page at a time.',
      'Each item has its id, recipient, campaign, template, the provider error (code, title, message), its category, its retryStatus, its attempt count and its businessNumber (phoneNumberId and label of the number that sent it, or null).',
      'Use totalCount with limit/offset to page. Use get-failed-message with an id for the explanation, retry eligibility and attempt history.',
      FILTER_HELP,
      'sort is one of failedAt, errorCode, attempts, nextAutomaticRetryAt; order is asc or desc; limit is 1-200 (default 50).',
      VOCABULARY,
    ].join('\n'),
    attributes: READ_ONLY,
    visibilityPermission: failedMessagesReadPermission,
    schema: {
      input: z =>
        z.object({
          ...createFailedMessageFilterShape(z),
          sort: z.enum(SORT_FIELDS).optional().describe('Sort field'),
          order: z.enum(['asc', 'desc']).optional().describe('Sort order'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(200)
            .optional()
            .describe('Page size, 1-200, default 50'),
          offset: z
            .number()
            .int()
            .min(0)
            .optional()
            .describe('Items to skip, default 0'),
        }),
      output: z =>
        z.object({
          items: z
            .array(z.object({ id: z.string() }).passthrough())
            .describe('Failed messages of this page'),
          totalCount: z
            .number()
            .describe('Messages matching the filters, over all pages'),
        }),
    },
    action: async ({ input, credentials }) => {
      await requirePermissionOf(
        options.permissions,
        credentials,
        failedMessagesReadPermission,
      );
      const page = await options.store.listMessages(parseListQuery(input));
      const { numbers } = options.engine.sending;
      return {
        output: json({
          ...page,
          items: page.items.map(message => numbers.labelled(message)),
        }),
      };
    },
  });
}

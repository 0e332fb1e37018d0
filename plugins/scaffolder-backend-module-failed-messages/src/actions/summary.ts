import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  FailedMessagesActionsOptions,
  cleanFilter,
  explainFailure,
  failedMessagesClientFor,
  filterInputSchema,
} from './client';

/**
 * `failed-messages:summary`: counts of failed messages per category for the
 * list's filter, read with the credentials of the user running the template.
 *
 * @public
 */
export function createFailedMessagesSummaryAction(
  options: FailedMessagesActionsOptions,
) {
  return createTemplateAction({
    id: 'failed-messages:summary',
    description:
      'Counts failed WhatsApp messages per category for the list filters (permission failed-messages.message.read).',
    supportsDryRun: true,
    examples: [
      {
        description: 'Count the failures of a campaign',
        example: [
          'steps:',
          '  - id: summary',
          '    action: failed-messages:summary',
          '    input:',
          '      filter:',
          '        campaign: black-friday',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        filter: z => filterInputSchema(z).optional(),
      },
      output: {
        total: z => z.number().describe('Failed messages matching'),
        retryable: z => z.number().describe('Of which retryable'),
        nonRetryable: z => z.number().describe('Of which non-retryable'),
        businessLogic: z =>
          z.number().describe('Of which business-logic failures'),
      },
    },
    async handler(ctx) {
      const client = await failedMessagesClientFor({
        ...options,
        credentials: await ctx.getInitiatorCredentials(),
      });
      const { data } = await client
        .GET('/summary', { params: { query: cleanFilter(ctx.input.filter) } })
        .catch(explainFailure);
      const { total, retryable, nonRetryable, businessLogic } = data!;
      ctx.output('total', total);
      ctx.output('retryable', retryable);
      ctx.output('nonRetryable', nonRetryable);
      ctx.output('businessLogic', businessLogic);
    },
  });
}

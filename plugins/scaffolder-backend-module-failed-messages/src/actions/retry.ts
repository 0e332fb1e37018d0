import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  BulkRetry,
  BulkRetryPreview,
} from '@msgops/plugin-failed-messages-common';
import {
  FailedMessagesActionsOptions,
  cleanFilter,
  explainFailure,
  failedMessagesClientFor,
  filterInputSchema,
} from './client';

/**
 * `failed-messages:retry`: bulk retry of failed messages, by ids or by the
 * list's filter, with the credentials of the user running the template.
 *
 * @public
 */
export function createRetryFailedMessagesAction(
  options: FailedMessagesActionsOptions,
) {
  return createTemplateAction({
    id: 'failed-messages:retry',
    description:
      'Retries failed WhatsApp messages in bulk, by ids or by the list filters. Acts as the user running the template (permission failed-messages.message.bulk-retry). Always previews first; with dryRun (or in a scaffolder dry run) only previews.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Retry the retryable failures of a campaign',
        example: [
          'steps:',
          '  - id: retry',
          '    action: failed-messages:retry',
          '    input:',
          '      filter:',
          '        campaign: black-friday',
          '        category: [retryable]',
          '      reason: Provider outage is over',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        filter: z => filterInputSchema(z).optional(),
        ids: z =>
          z
            .array(z.string())
            .min(1)
            .max(10000)
            .optional()
            .describe('Ids of the messages to retry (instead of a filter)'),
        reason: z =>
          z
            .string()
            .max(500)
            .optional()
            .describe('Why the messages are retried, kept with the run'),
        dryRun: z =>
          z.boolean().optional().describe('Only preview what would be retried'),
      },
      output: {
        bulkRetryId: z =>
          z
            .string()
            .optional()
            .describe('Id of the started bulk retry (absent on a dry run)'),
        matched: z => z.number().describe('Messages matching'),
        eligible: z => z.number().describe('Messages that would be retried'),
        skipped: z =>
          z
            .array(z.object({ reason: z.string(), count: z.number() }))
            .describe('Messages left out, counted per reason'),
      },
    },
    async handler(ctx) {
      const { ids, reason, dryRun } = ctx.input;
      const filter = cleanFilter(ctx.input.filter);
      const selection = ids && ids.length > 0 ? { ids } : { filter };
      if (!ids?.length && Object.keys(filter).length === 0) {
        throw new Error(
          'failed-messages:retry needs ids or a non-empty filter; refusing to retry every failed message',
        );
      }
      const client = await failedMessagesClientFor({
        ...options,
        credentials: await ctx.getInitiatorCredentials(),
      });

      const { data } = await client
        .POST('/bulk-retries', {
          body: { ...selection, dryRun: true, ...(reason ? { reason } : {}) },
        })
        .catch(explainFailure);
      const preview = data as BulkRetryPreview;
      ctx.logger.info(
        `Bulk retry preview: ${preview.matched} matched, ${preview.eligible} eligible`,
      );
      ctx.output('matched', preview.matched);
      ctx.output('eligible', preview.eligible);
      ctx.output('skipped', preview.skipped);

      if (dryRun || ctx.isDryRun) {
        ctx.logger.info('Dry run: no bulk retry started');
        return;
      }
      if (preview.eligible === 0) {
        ctx.logger.info('Nothing eligible to retry: no bulk retry started');
        return;
      }

      const run = await ctx.checkpoint({
        key: 'failed-messages.bulk-retry.start',
        fn: async () => {
          const { data: started } = await client
            .POST('/bulk-retries', {
              body: {
                ...selection,
                dryRun: false,
                ...(reason ? { reason } : {}),
              },
            })
            .catch(explainFailure);
          const { id, total } = started as BulkRetry;
          return { id, total };
        },
      });
      ctx.logger.info(`Started bulk retry ${run.id} on ${run.total} messages`);
      ctx.output('bulkRetryId', run.id);
    },
  });
}

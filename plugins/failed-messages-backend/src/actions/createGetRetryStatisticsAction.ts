import { failedMessagesStatisticsReadPermission } from '@msgops/plugin-failed-messages-common';
import { computeStatistics, parseStatisticsQuery } from '../service/statistics';
import { FailedMessagesActionsOptions, json, READ_ONLY } from './actionOptions';
import { requirePermissionOf } from '../permissions/requirePermission';

export function createGetRetryStatisticsAction(
  options: FailedMessagesActionsOptions,
) {
  options.actionsRegistry.register({
    name: 'get-retry-statistics',
    title: 'Get retry statistics of failed WhatsApp messages',
    description: [
      'Statistics of retries of failed WhatsApp messages over a window of whole UTC days:',
      'how many retries were made and how many succeeded or failed, success rates by trigger',
      '(automatic, manual, bulk, scaffolder, action) and by error code, failures per error code,',
      'the failure and delivery rates of the sends overall, per campaign and per business number,',
      'and a trend per day or week of failures, retries and both rates.',
      'from/to are ISO 8601 dates (default: the last 30 days up to today); the window may span at most 400 days.',
      'bucket is "day" (default) or "week".',
      'campaign narrows every figure to the messages and sends of that campaign (exact name).',
    ].join('\n'),
    attributes: READ_ONLY,
    visibilityPermission: failedMessagesStatisticsReadPermission,
    schema: {
      input: z =>
        z.object({
          from: z
            .string()
            .optional()
            .describe('First day, ISO 8601 date (e.g. 2026-11-01)'),
          to: z.string().optional().describe('Last day, ISO 8601 date'),
          bucket: z
            .enum(['day', 'week'])
            .optional()
            .describe('Size of a trend bucket, default day'),
          campaign: z
            .string()
            .optional()
            .describe('Only this campaign (exact name), as GET /statistics'),
        }),
      output: z => z.object({ from: z.string(), to: z.string() }).passthrough(),
    },
    action: async ({ input, credentials }) => {
      await requirePermissionOf(
        options.permissions,
        credentials,
        failedMessagesStatisticsReadPermission,
      );
      const statistics = await computeStatistics(
        options.store,
        options.catalogue,
        parseStatisticsQuery(input),
        options.engine.sending.numbers,
      );
      return { output: json(statistics) };
    },
  });
}

import { failedMessagesReadPermission } from '@msgops/plugin-failed-messages-common';
import { readMessageDetail } from '../service/messageDetail';
import { VOCABULARY } from './descriptions';
import { FailedMessagesActionsOptions, json, READ_ONLY } from './actionOptions';
import { requirePermissionOf } from '../permissions/requirePermission';

export function createGetFailedMessageAction(
  options: FailedMessagesActionsOptions,
) {
  const { catalogue, engine, store } = options;
  options.actionsRegistry.register({
    name: 'get-failed-message',
    title: 'Get one failed WhatsApp message with its history',
    description: [
      'Returns one failed WhatsApp message by id, with:',
      'explanation (what the provider error means and what to do about it, in plain words),',
      'eligibility (canRetry, and when not, the reason and the earliest time a retry makes sense),',
      'and attempts (every retry so far: trigger, actor, outcome, error, times).',
      'Fails with a not-found error for an unknown id.',
      VOCABULARY,
    ].join('\n'),
    attributes: READ_ONLY,
    visibilityPermission: failedMessagesReadPermission,
    schema: {
      input: z =>
        z.object({
          id: z.string().min(1).describe('Id of the failed message'),
        }),
      output: z =>
        z
          .object({
            id: z.string(),
            explanation: z.object({ meaning: z.string(), action: z.string() }),
            eligibility: z
              .object({ canRetry: z.boolean() })
              .passthrough()
              .describe('Whether a retry is allowed now, and why not'),
            attempts: z
              .array(z.object({ id: z.string() }).passthrough())
              .describe('Retry attempts, oldest first'),
          })
          .passthrough(),
    },
    action: async ({ input, credentials }) => {
      await requirePermissionOf(
        options.permissions,
        credentials,
        failedMessagesReadPermission,
      );
      const detail = await readMessageDetail(input.id, {
        catalogue,
        engine,
        store,
      });
      return { output: json(detail) };
    },
  });
}

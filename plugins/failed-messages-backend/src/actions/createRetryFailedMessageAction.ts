import { failedMessagesRetryPermission } from '@msgops/plugin-failed-messages-common';
import { audited } from '../service/audited';
import { describeMessage } from '../service/messageDetail';
import {
  principalRef,
  readRetryBody,
  requireReasonToForce,
} from '../service/retryRequests';
import { requireRetryPermissionOf } from '../permissions/requirePermission';
import {
  DESTRUCTIVE,
  FailedMessagesActionsOptions,
  json,
} from './actionOptions';

export function createRetryFailedMessageAction(
  options: FailedMessagesActionsOptions,
) {
  const { auditor, catalogue, engine, store } = options;
  options.actionsRegistry.register({
    name: 'retry-failed-message',
    title: 'Retry one failed WhatsApp message',
    description: [
      'Sends one failed WhatsApp message again, now. THIS SENDS A REAL WHATSAPP MESSAGE to the recipient, and cannot be undone.',
      'Check get-failed-message first: only retry when eligibility.canRetry is true, or when a person explicitly asked to force it.',
      'The retry is refused (conflict error, with the reason) when the message is not eligible, e.g. a non-retryable error,',
      'a wait that has not passed yet, a retry that already succeeded or is in progress, or a newer message to the same recipient that was delivered.',
      'force: true overrides the eligibility rules that allow it (not a retry already in progress) and needs the permission failed-messages.message.force-retry (admins by default);',
      'without it, retry only what is eligible. A forced retry needs a reason (why sending again is safe).',
      'Returns the attempt (outcome "succeeded", "failed" or "outcome-unknown") and the message after the attempt.',
      'The attempt is recorded with trigger "action" and the calling user as actor.',
    ].join('\n'),
    attributes: DESTRUCTIVE,
    visibilityPermission: failedMessagesRetryPermission,
    schema: {
      input: z =>
        z.object({
          id: z.string().min(1).describe('Id of the failed message'),
          force: z
            .boolean()
            .optional()
            .describe('Retry even if the eligibility rules say not now'),
          reason: z
            .string()
            .max(500)
            .optional()
            .describe('Why it is retried; recorded with the attempt'),
        }),
      output: z =>
        z.object({
          attempt: z
            .object({ id: z.string(), outcome: z.string() })
            .passthrough(),
          message: z.object({ id: z.string() }).passthrough(),
        }),
    },
    action: async ({ input, credentials }) => {
      const { id, ...body } = input;
      const { force, reason } = readRetryBody(body);
      await requireRetryPermissionOf(options.permissions, credentials, force);
      requireReasonToForce({ force, reason });
      const actor = principalRef(credentials);
      const { attempt, message, known } = await audited(
        auditor,
        {
          eventId: 'retry',
          meta: { messageId: id, actor, force, reason, via: 'action' },
        },
        () => engine.retryById(id, { trigger: 'action', actor, force, reason }),
      );
      return {
        output: json({
          attempt,
          message: await describeMessage(
            message,
            { catalogue, engine, store },
            known,
          ),
        }),
      };
    },
  });
}

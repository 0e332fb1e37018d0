import { InputError } from '@backstage/errors';
import { z } from 'zod';

const webhookError = z.object({
  code: z.union([z.number(), z.string()]),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
});

const webhookStatus = z.object({
  id: z.string().min(1),
  status: z.string(),
  timestamp: z.string().regex(/^\d+$/),
  recipient_id: z.string().optional(),
  biz_opaque_callback_data: z.string().optional(),
  errors: z.array(webhookError).optional(),
});

const webhookPayload = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: z.string().optional(),
      changes: z.array(
        z.object({
          field: z.string(),
          value: z
            .object({
              metadata: z
                .object({
                  phone_number_id: z.string().min(1).optional(),
                  display_phone_number: z.string().optional(),
                })
                .passthrough()
                .optional(),
              statuses: z.array(webhookStatus).optional(),
            })
            .passthrough(),
        }),
      ),
    }),
  ),
});

/** One status of one message, flattened out of a webhook delivery. */
export interface MessageStatusEvent {
  providerMessageId: string;
  status: string;
  at: Date;
  recipient: string | null;
  /** Echo of `biz_opaque_callback_data`: our message id on resends. */
  callbackData: string | null;
  /** The business number the status is of (`value.metadata`). */
  businessNumber: {
    phoneNumberId: string;
    displayPhoneNumber: string | null;
  } | null;
  error: {
    code: string;
    title: string | null;
    message: string | null;
    details: string | null;
  } | null;
}

/**
 * Every status in a delivery, in order. A delivery can carry several entries,
 * changes and statuses, and changes without statuses (inbound messages),
 * which are skipped.
 */
export function parseStatusWebhook(body: unknown): MessageStatusEvent[] {
  const parsed = webhookPayload.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `Invalid WhatsApp webhook payload at ${
        issue.path.join('.') || 'the root'
      }: ${issue.message}`,
    );
  }
  return parsed.data.entry.flatMap(entry =>
    entry.changes
      .filter(change => change.field === 'messages')
      .flatMap(change => {
        // Each change is of one number; a delivery may hold several.
        const metadata = change.value.metadata;
        const businessNumber = metadata?.phone_number_id
          ? {
              phoneNumberId: metadata.phone_number_id,
              displayPhoneNumber: metadata.display_phone_number || null,
            }
          : null;
        return (change.value.statuses ?? []).map(status => ({
          status,
          businessNumber,
        }));
      })
      .map(({ status, businessNumber }) => {
        const error = status.errors?.[0];
        return {
          businessNumber,
          providerMessageId: status.id,
          status: status.status,
          at: new Date(Number(status.timestamp) * 1000),
          recipient: status.recipient_id ?? null,
          callbackData: status.biz_opaque_callback_data ?? null,
          error: error
            ? {
                code: String(error.code),
                title: error.title ?? null,
                message: error.message ?? null,
                details: error.error_data?.details ?? null,
              }
            : null,
        };
      }),
  );
}

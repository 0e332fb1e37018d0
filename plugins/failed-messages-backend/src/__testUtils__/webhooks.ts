import { createHmac } from 'node:crypto';
import request from 'supertest';
import { WEBHOOK_APP_SECRET } from './backend';

export function signWebhook(body: string, secret = WEBHOOK_APP_SECRET) {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Posts one signed status delivery, as Meta would. */
export function deliverStatuses(
  server: any,
  statuses: Array<Record<string, unknown>>,
) {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA',
        changes: [{ field: 'messages', value: { statuses } }],
      },
    ],
  });
  return request(server)
    .post('/api/failed-messages/webhooks/whatsapp')
    .set('Content-Type', 'application/json')
    .set('X-Hub-Signature-256', signWebhook(body))
    .send(body);
}

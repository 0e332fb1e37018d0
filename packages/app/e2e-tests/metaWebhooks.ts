import { createHmac } from 'node:crypto';

/**
 * A webhook delivery from Meta, signed with the development app secret of
 * app-config.yaml, reporting that a send from `phoneNumberId` failed because the
 * account's access token expired.
 */
export function expiredTokenDelivery(phoneNumberId: string): {
  body: string;
  signature: string;
} {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '204000000000001',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: '+1 650 555 0100',
                phone_number_id: phoneNumberId,
              },
              statuses: [
                {
                  id: `wamid.E2E-TOKEN-${Date.now()}`,
                  status: 'failed',
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  recipient_id: '16505550199',
                  errors: [{ code: 190, title: 'Access token has expired' }],
                },
              ],
            },
          },
        ],
      },
    ],
  });
  const signature = `sha256=${createHmac('sha256', 'development-app-secret')
    .update(body)
    .digest('hex')}`;
  return { body, signature };
}

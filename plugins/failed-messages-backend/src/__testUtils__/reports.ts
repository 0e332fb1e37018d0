import { randomUUID } from 'node:crypto';
import { mockCredentials } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import request from 'supertest';

/**
 * Reports `count` failures of `campaign` in one batch, as a service would,
 * a minute apart from `failedAt` back; answers their ids. With
 * `externalIds`, each carries `<campaign>-<i>`, so a repeat is recognised;
 * without, each call's texts are its own, so a call reports new failures
 * rather than the content of an earlier one again.
 */
export async function reportFailures(
  server: any,
  campaign: string,
  count: number,
  options: {
    code?: number;
    failedAt?: DateTime;
    externalIds?: boolean;
    /** The business number they were sent from. */
    phoneNumberId?: string;
  } = {},
): Promise<string[]> {
  const failedAt = options.failedAt ?? DateTime.utc().minus({ days: 1 });
  const call = randomUUID();
  const res = await request(server)
    .post('/api/failed-messages/messages')
    .set('Authorization', mockCredentials.service.header())
    .send({
      messages: Array.from({ length: count }, (_, i) => ({
        ...(options.externalIds ? { externalId: `${campaign}-${i}` } : {}),
        recipient: `+1650555${String(i).padStart(4, '0')}`,
        campaign,
        ...(options.phoneNumberId && { phoneNumberId: options.phoneNumberId }),
        payload: {
          messaging_product: 'whatsapp',
          type: 'text',
          text: { body: `${campaign} ${i} ${call}` },
        },
        error: { code: options.code ?? 130429 },
        failedAt: failedAt.minus({ minutes: i }).toISO(),
      })),
    });
  expect(res.status).toBe(201);
  return res.body.items.map((stored: { id: string }) => stored.id);
}

import { mockCredentials } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import request from 'supertest';
import { useFailedMessagesBackend } from '../__testUtils__/backend';
import { ManualRetryQuota } from './ManualRetryQuota';

const BASE = '/api/failed-messages';

describe('the per-person retry limit', () => {
  const suite = useFailedMessagesBackend({
    settings: { retry: { manualPerUserPerMinute: 2 } },
  });

  const report = async () => {
    const res = await request(suite.server)
      .post(`${BASE}/messages`)
      .set('Authorization', mockCredentials.service.header())
      .send({
        recipient: '+16505551234',
        templateName: `template_${Math.random()}`,
        payload: { messaging_product: 'whatsapp', to: '+16505551234' },
        error: { code: 130429 },
        failedAt: DateTime.utc().minus({ days: 2 }).toISO(),
      });
    return res.body.id as string;
  };
  const retryAs = async (user: string) =>
    request(suite.server)
      .post(`${BASE}/messages/${await report()}/retry`)
      .set('Authorization', mockCredentials.user.header(user))
      .send({});

  it('answers 429 with Retry-After past the limit, for that person only', async () => {
    const ada = 'user:default/ada-admin';
    expect((await retryAs(ada)).status).toBe(200);
    expect((await retryAs(ada)).status).toBe(200);
    const refused = await retryAs(ada);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.error.message).toContain(
      'failedMessages.retry.manualPerUserPerMinute',
    );
    expect((await retryAs('user:default/alex-agent')).status).toBe(200);
  });
});

describe('ManualRetryQuota', () => {
  it('frees a place once the oldest retry of the minute leaves it', () => {
    let now = 0;
    const quota = new ManualRetryQuota(2, () => now);
    quota.take('ada');
    now = 20_000;
    quota.take('ada');
    now = 30_000;
    expect(() => quota.take('ada')).toThrow(
      expect.objectContaining({ statusCode: 429, retryAfterSeconds: 30 }),
    );
    now = 60_001;
    expect(() => quota.take('ada')).not.toThrow();
  });
});

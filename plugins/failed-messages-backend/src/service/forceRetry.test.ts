import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { useFailedMessagesBackend } from '../__testUtils__/backend';

const BASE = '/api/failed-messages';

describe('forcing retries', () => {
  const suite = useFailedMessagesBackend();

  it('has no force for a bulk retry: only single retries can be forced', async () => {
    const res = await request(suite.server)
      .post(`${BASE}/bulk-retries`)
      .set('Authorization', mockCredentials.user.header())
      .send({ filter: {}, force: true });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('force');
  });
});

import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { startFailedMessagesBackend } from '../__testUtils__/backend';

describe('a failure report', () => {
  const report = (failedAt: string) => ({
    recipient: '+16505551234',
    error: { code: 130429 },
    failedAt,
  });

  it.each([
    '2026-02-30T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-11-20T24:30:00Z',
  ])(
    'with a failure time that does not exist (%s) gets a 400 naming it',
    async failedAt => {
      const backend = await startFailedMessagesBackend();
      try {
        const res = await request(backend.server)
          .post('/api/failed-messages/messages')
          .set('Authorization', mockCredentials.service.header())
          .send(report(failedAt));
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain('failedAt');
      } finally {
        await backend.stop();
      }
    },
  );
});

import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { useFailedMessagesBackend } from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';
import { reportFailures } from '../__testUtils__/reports';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const ADMIN_REF = 'user:default/ada-admin';
const ADMIN = mockCredentials.user.header(ADMIN_REF);

describe.each(databases.eachSupportedId())(
  'settling an unknown outcome by hand on %s',
  databaseId => {
    const suite = useFailedMessagesBackend({
      database: { databases, id: databaseId },
      // Every retry gets a gateway error: its outcome is unknown.
      meta: () => ({ status: 502 }),
    });

    /** A failed message retried once, with an unknown outcome. */
    async function unknownOutcome() {
      const [id] = await reportFailures(suite.server, 'settle', 1);
      const retried = await request(suite.server)
        .post(`${BASE}/messages/${id}/retry`)
        .set('Authorization', ADMIN)
        .send({});
      expect(retried.body.message.retryStatus).toBe('outcome-unknown');
      return id;
    }

    const settle = (id: string, body: object) =>
      request(suite.server)
        .post(`${BASE}/messages/${id}/settle`)
        .set('Authorization', ADMIN)
        .send(body);

    it('marks it delivered, with who, when and why on its attempt', async () => {
      const id = await unknownOutcome();

      const res = await settle(id, {
        outcome: 'delivered',
        reason: 'Customer confirmed by phone',
      });

      expect(res.status).toBe(200);
      expect(res.body.message).toMatchObject({
        retryStatus: 'retry-succeeded',
        resolvedAt: expect.any(String),
      });
      expect(res.body.message.attempts).toEqual([
        expect.objectContaining({
          outcome: 'succeeded',
          settlement: {
            outcome: 'delivered',
            actor: ADMIN_REF,
            at: expect.any(String),
            reason: 'Customer confirmed by phone',
          },
        }),
      ]);
    });

    it('marks it failed, so that it can be retried again', async () => {
      const id = await unknownOutcome();

      const res = await settle(id, {
        outcome: 'failed',
        reason: 'Not in the WhatsApp Manager message log',
      });

      expect(res.status).toBe(200);
      expect(res.body.message).toMatchObject({
        retryStatus: 'retry-failed',
        resolvedAt: null,
      });
      // Eligible as any failure again: only the error's usual wait holds it.
      expect(res.body.message.eligibility.reason).toMatch(/wait/i);
      expect(res.body.message.eligibility.reason).not.toMatch(/unknown/i);
      expect(res.body.message.attempts[0]).toMatchObject({
        outcome: 'failed',
        settlement: { outcome: 'failed', actor: ADMIN_REF },
      });
    });

    it('answers 409 for a message whose outcome is not unknown', async () => {
      const id = await unknownOutcome();
      await settle(id, { outcome: 'failed', reason: 'Not sent' });

      const again = await settle(id, {
        outcome: 'delivered',
        reason: 'Changed my mind',
      });

      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain('outcome is unknown');
    });

    it.each([
      [{ outcome: 'delivered' }, 'reason'],
      [{ outcome: 'delivered', reason: '' }, 'reason'],
      [{ outcome: 'delivered', reason: '   ' }, 'reason must not be blank'],
      [{ outcome: 'delivered', reason: 'x'.repeat(501) }, 'reason'],
      [{ outcome: 'resent', reason: 'Why not' }, 'outcome'],
    ])('refuses %j with a 400 naming %s', async (body, named) => {
      const id = await unknownOutcome();

      const res = await settle(id, body);

      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(named);
    });

    it('answers 404 for an unknown message', async () => {
      const res = await settle('no-such-message', {
        outcome: 'failed',
        reason: 'Not sent',
      });
      expect(res.status).toBe(404);
    });
  },
);

import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  startFailedMessagesBackend,
  useFailedMessagesBackend,
} from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';
import { reportFailures } from '../__testUtils__/reports';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const AGENT_REF = 'user:default/alex-agent';
const AGENT = mockCredentials.user.header(AGENT_REF);
const REASON = 'Customer reached by phone';

describe.each(databases.eachSupportedId())(
  'dismissing and reopening a failure on %s',
  databaseId => {
    const suite = useFailedMessagesBackend({
      database: { databases, id: databaseId },
    });

    const post = (path: string, body?: object) =>
      request(suite.server)
        .post(`${BASE}${path}`)
        .set('Authorization', AGENT)
        .send(body);
    const get = (path: string) =>
      request(suite.server).get(`${BASE}${path}`).set('Authorization', AGENT);
    const listed = async (query: string) =>
      (await get(`/messages?${query}`)).body.items.map(
        (message: { id: string }) => message.id,
      );

    it('takes a dismissed failure out of the open view and brings it back on reopening', async () => {
      const [id, other] = await reportFailures(suite.server, 'dismiss', 2);

      const dismissed = await post(`/messages/${id}/dismiss`, {
        reason: REASON,
      });

      expect(dismissed.status).toBe(200);
      expect(dismissed.body.message).toMatchObject({
        state: 'dismissed',
        dismissal: { by: AGENT_REF, at: expect.any(String), reason: REASON },
        stateChanges: [
          { change: 'dismissed', actor: AGENT_REF, reason: REASON },
        ],
        eligibility: {
          canRetry: false,
          reason: expect.stringMatching(/Dismissed/),
        },
      });
      expect(await listed('campaign=dismiss&state=open')).toEqual([other]);
      expect(await listed('campaign=dismiss&state=dismissed')).toEqual([id]);
      expect(await listed('campaign=dismiss')).toHaveLength(2);
      const summary = await get('/summary?campaign=dismiss&state=open');
      expect(summary.body).toMatchObject({ total: 1, retryable: 1 });
      const csv = await get(
        '/export/messages.csv?campaign=dismiss&state=dismissed',
      );
      expect(csv.text.trim().split('\n')).toHaveLength(2);

      const retried = await post(`/messages/${id}/retry`, {});
      expect(retried.status).toBe(409);
      expect(retried.body.error.message).toContain('Dismissed');

      const reopened = await post(`/messages/${id}/reopen`);
      expect(reopened.status).toBe(200);
      expect(reopened.body.message).toMatchObject({
        state: 'open',
        dismissal: null,
        manualAttempts: 0,
        stateChanges: [
          { change: 'dismissed', reason: REASON },
          { change: 'reopened', actor: AGENT_REF, reason: null },
        ],
      });
      expect((await listed('campaign=dismiss&state=open')).sort()).toEqual(
        [id, other].sort(),
      );
    });

    it('leaves a dismissed failure out of a bulk retry', async () => {
      const [id] = await reportFailures(suite.server, 'dismiss-bulk', 3);
      await post(`/messages/${id}/dismiss`, { reason: 'Duplicate' });

      const preview = await request(suite.server)
        .post(`${BASE}/bulk-retries`)
        .set('Authorization', AGENT)
        .send({ filter: { campaign: 'dismiss-bulk' }, dryRun: true });

      expect(preview.body).toMatchObject({
        matched: 3,
        eligible: 2,
        skipped: [{ reason: expect.stringMatching(/Dismissed/), count: 1 }],
      });

      // The run itself skips it and sends the others.
      const started = await request(suite.server)
        .post(`${BASE}/bulk-retries`)
        .set('Authorization', AGENT)
        .send({ filter: { campaign: 'dismiss-bulk', state: 'dismissed' } });
      expect(started.status).toBe(202);
      let bulk = started.body;
      for (let i = 0; i < 200 && bulk.status === 'running'; i++) {
        await new Promise(resolve => setTimeout(resolve, 50));
        bulk = (await get(`/bulk-retries/${bulk.id}`)).body;
      }
      expect(bulk).toMatchObject({
        status: 'completed',
        total: 1,
        skipped: 1,
        succeeded: 0,
      });
      const detail = await get(`/messages/${id}`);
      expect(detail.body).toMatchObject({ state: 'dismissed', attempts: [] });
    });

    it('answers 409 naming why for a second dismissal or reopening', async () => {
      const [id] = await reportFailures(suite.server, 'dismiss-twice', 1);
      await post(`/messages/${id}/dismiss`, { reason: 'Test message' });

      const again = await post(`/messages/${id}/dismiss`, { reason: 'Again' });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain('already dismissed');

      await post(`/messages/${id}/reopen`);
      const reopenedAgain = await post(`/messages/${id}/reopen`);
      expect(reopenedAgain.status).toBe(409);
      expect(reopenedAgain.body.error.message).toContain(
        'Only a dismissed message can be reopened',
      );
    });

    it.each([
      [{}, 'reason'],
      [{ reason: '' }, 'reason'],
      [{ reason: '   ' }, 'reason must not be blank'],
      [{ reason: 'x'.repeat(501) }, 'reason'],
      [{ reason: 'Duplicate', colour: 'red' }, 'colour'],
    ])('refuses %j with a 400 naming %s', async (body, named) => {
      const [id] = await reportFailures(suite.server, 'dismiss-bad', 1);

      const res = await post(`/messages/${id}/dismiss`, body);

      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(named);
    });

    it('answers 404 for an unknown message', async () => {
      const dismissed = await post('/messages/no-such-message/dismiss', {
        reason: REASON,
      });
      expect(dismissed.status).toBe(404);
      const reopened = await post('/messages/no-such-message/reopen');
      expect(reopened.status).toBe(404);
    });
  },
);

describe('dismissing without the retry permission, as a manager', () => {
  it('answers 403 naming the permission, changing nothing', async () => {
    const backend = await startFailedMessagesBackend({
      permissionResult: AuthorizeResult.DENY,
    });
    try {
      for (const path of ['dismiss', 'reopen']) {
        const res = await request(backend.server)
          .post(`${BASE}/messages/any-id/${path}`)
          .set('Authorization', AGENT)
          .send(path === 'dismiss' ? { reason: REASON } : undefined);
        expect(res.status).toBe(403);
        expect(res.body.error.message).toContain(
          'failed-messages.message.retry',
        );
      }
    } finally {
      await backend.stop();
    }
  });
});

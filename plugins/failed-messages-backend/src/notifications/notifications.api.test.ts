import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { useFailedMessagesBackend } from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';
import { FakeAnswer } from '../__testUtils__/fakeWhatsApp';
import { RecordingNotificationService } from '../__testUtils__/recordingServices';
import { reportFailures } from '../__testUtils__/reports';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const STARTER = 'user:default/ada-admin';
const ADMINS = ['group:default/whatsapp-admins'];

describe.each(databases.eachSupportedId())(
  'notifications when retries end on %s',
  databaseId => {
    let answer: () => FakeAnswer;
    const notifications = new RecordingNotificationService();
    const suite = useFailedMessagesBackend({
      database: { databases, id: databaseId },
      meta: () => answer(),
      settings: { roles: { admin: ADMINS } },
      features: [notifications.factory()],
    });
    beforeEach(() => {
      answer = () => ({ accept: true });
      notifications.sent.length = 0;
    });

    const report = (campaign: string, count: number) =>
      reportFailures(suite.server, campaign, count);

    async function waitForNotification() {
      for (let i = 0; i < 200 && !notifications.sent.length; i++) {
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      return notifications.sent;
    }

    it('notifies the starter when a bulk retry ends', async () => {
      await report('notified', 2);
      const res = await request(suite.server)
        .post(`${BASE}/bulk-retries`)
        .set('Authorization', mockCredentials.user.header(STARTER))
        .send({ filter: { campaign: 'notified' }, reason: 'Rate limit over' });
      expect(res.status).toBe(202);

      const sent = await waitForNotification();
      expect(sent).toEqual([
        {
          recipients: { type: 'entity', entityRef: STARTER },
          payload: expect.objectContaining({
            title: 'Bulk retry finished: 2 sent, 0 failed, 0 skipped',
            link: '/failed-messages?retryStatus=retry-failed&retryStatus=max-attempts-reached',
            severity: 'normal',
            topic: 'failed-messages',
          }),
        },
      ]);
      expect(sent[0].payload.description).toContain('Rate limit over');
    });

    it('notifies the admins when an automatic run ends with failures', async () => {
      await report('automatic', 1);
      answer = () => ({ status: 500, body: { error: { code: 131000 } } });
      const run = await request(suite.server)
        .post(`${BASE}/auto-retry/run`)
        .set('Authorization', mockCredentials.user.header(STARTER));
      expect(run.status).toBe(202);

      const sent = await waitForNotification();
      expect(sent).toEqual([
        {
          recipients: { type: 'entity', entityRef: ADMINS },
          payload: expect.objectContaining({
            title: expect.stringMatching(
              /^Automatic retry: \d+ of \d+ failed$/,
            ),
            link: '/failed-messages?retryStatus=retry-failed',
          }),
        },
      ]);
    });
  },
);

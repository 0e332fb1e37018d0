import { mockCredentials } from '@backstage/backend-test-utils';
import { failedMessagesForceRetryPermission } from '@msgops/plugin-failed-messages-common';
import { DateTime } from 'luxon';
import request from 'supertest';
import { useFailedMessagesBackend } from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';
import { deliverStatuses } from '../__testUtils__/webhooks';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const ADMIN = mockCredentials.user.header('user:default/ada-admin');
const STALE = /newer message with the same template/;

describe.each(databases.eachSupportedId())(
  'a failure resolved by a newer delivery on %s',
  databaseId => {
    const suite = useFailedMessagesBackend({
      database: { databases, id: databaseId },
      meta: () => ({ accept: true }),
    });

    let recipientCount = 0;
    /** A recipient of this test alone, so that tests do not resolve each other's failures. */
    const newRecipient = () =>
      `+1650555${String((recipientCount += 1)).padStart(4, '0')}`;

    /** A failure of the `offer` template to `recipient`, `hoursAgo` hours ago. */
    async function reportFailure(recipient: string, hoursAgo: number) {
      const res = await request(suite.server)
        .post(`${BASE}/messages`)
        .set('Authorization', mockCredentials.service.header())
        .send({
          externalId: `wamid.${recipient}.${hoursAgo}`,
          recipient,
          templateName: 'offer',
          payload: {
            messaging_product: 'whatsapp',
            to: recipient,
            type: 'template',
            template: { name: 'offer', language: { code: 'en_US' } },
          },
          error: { code: 130429 },
          failedAt: DateTime.utc().minus({ hours: hoursAgo }).toISO(),
        });
      expect(res.status).toBe(201);
      return res.body.id as string;
    }

    const retry = (id: string, body: object = {}) =>
      request(suite.server)
        .post(`${BASE}/messages/${id}/retry`)
        .set('Authorization', ADMIN)
        .send(body);

    const detail = async (id: string) =>
      (
        await request(suite.server)
          .get(`${BASE}/messages/${id}`)
          .set('Authorization', ADMIN)
      ).body;

    const listed = async (recipient: string, state: string) =>
      (
        await request(suite.server)
          .get(`${BASE}/messages`)
          .query({ q: recipient, state })
          .set('Authorization', ADMIN)
      ).body.items.map((message: { id: string }) => message.id);

    /** Resends the newer failure and lets Meta report it delivered. */
    async function deliverNewer(newerId: string, at: number) {
      const res = await retry(newerId);
      expect(res.status).toBe(200);
      const delivered = await deliverStatuses(suite.server, [
        {
          id: res.body.attempt.providerMessageId,
          status: 'delivered',
          timestamp: String(at),
          biz_opaque_callback_data: newerId,
        },
      ]);
      expect(delivered.status).toBe(200);
    }

    it('resolves the older failure when a newer message reaches the recipient, and says why', async () => {
      const recipient = newRecipient();
      const older = await reportFailure(recipient, 5);
      const newer = await reportFailure(recipient, 4);
      const summaryBefore = await request(suite.server)
        .get(`${BASE}/summary`)
        .query({ state: 'resolved' })
        .set('Authorization', ADMIN);

      const at = Math.floor(Date.now() / 1000);
      await deliverNewer(newer, at);

      const message = await detail(older);
      expect(message).toMatchObject({
        state: 'resolved',
        resolvedAt: null,
        resolution: {
          cause: 'newer-delivery',
          at: new Date(at * 1000).toISOString(),
          newerMessageId: newer,
        },
        eligibility: { canRetry: false, forceable: true, reason: STALE },
      });
      expect(message.stateChanges).toEqual([
        {
          change: 'resolved',
          actor: null,
          at: new Date(at * 1000).toISOString(),
          reason: null,
        },
      ]);
      expect(await listed(recipient, 'open')).toEqual([]);
      expect((await listed(recipient, 'resolved')).sort()).toEqual(
        [older, newer].sort(),
      );
      const summaryAfter = await request(suite.server)
        .get(`${BASE}/summary`)
        .query({ state: 'resolved' })
        .set('Authorization', ADMIN);
      expect(summaryAfter.body.total).toBe(summaryBefore.body.total + 2);
    });

    it('refuses a plain retry and a bulk run of it, and sends it when forced with a reason', async () => {
      const recipient = newRecipient();
      const older = await reportFailure(recipient, 5);
      await deliverNewer(await reportFailure(recipient, 4), 1764000000);
      const sentBefore = suite.meta.requests.length;

      const refused = await retry(older);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(STALE);
      const preview = await request(suite.server)
        .post(`${BASE}/bulk-retries`)
        .set('Authorization', ADMIN)
        .send({ ids: [older], dryRun: true });
      expect(preview.body).toMatchObject({ matched: 1, eligible: 0 });
      expect(suite.meta.requests.length).toBe(sentBefore);

      const forced = await retry(older, {
        force: true,
        reason: 'The customer asked for this offer again',
      });
      expect(forced.status).toBe(200);
      expect(forced.body.attempt).toMatchObject({
        forced: true,
        outcome: 'succeeded',
      });
      expect(await detail(older)).toMatchObject({
        state: 'open',
        retryStatus: 'retry-succeeded',
        resolution: null,
      });
      expect(suite.meta.requests.length).toBe(sentBefore + 1);
    });

    it('resolves the older failure when a send the services logged reaches the recipient', async () => {
      const recipient = newRecipient();
      const older = await reportFailure(recipient, 5);
      const logged = await request(suite.server)
        .post(`${BASE}/sends`)
        .set('Authorization', mockCredentials.service.header())
        .send({
          sends: [
            {
              externalId: `wamid.SEND${recipient}`,
              recipient,
              templateName: 'offer',
              payload: { messaging_product: 'whatsapp', to: recipient },
              sentAt: DateTime.utc().minus({ hours: 4 }).toISO(),
            },
          ],
        });
      expect(logged.status).toBe(202);
      const res = await deliverStatuses(suite.server, [
        {
          id: `wamid.SEND${recipient}`,
          status: 'delivered',
          timestamp: '1764000000',
          recipient_id: recipient.slice(1),
        },
      ]);
      expect(res.status).toBe(200);

      expect(await detail(older)).toMatchObject({
        state: 'resolved',
        resolution: {
          cause: 'newer-delivery',
          at: new Date(1764000000 * 1000).toISOString(),
          newerMessageId: null,
        },
      });
    });

    it('stores a failure reported after a newer message was delivered as resolved', async () => {
      const recipient = newRecipient();
      const newer = await reportFailure(recipient, 4);
      await deliverNewer(newer, 1764000000);

      const late = await reportFailure(recipient, 6);

      expect(await detail(late)).toMatchObject({
        state: 'resolved',
        resolution: { cause: 'newer-delivery', newerMessageId: newer },
      });
      expect(await listed(recipient, 'open')).toEqual([]);
    });
  },
);

describe('forcing a retry of a failure resolved by a newer delivery', () => {
  const suite = useFailedMessagesBackend({
    meta: () => ({ accept: true }),
    deniedPermissions: [failedMessagesForceRetryPermission.name],
  });

  it('needs the force-retry permission', async () => {
    const report = (hoursAgo: number) =>
      request(suite.server)
        .post(`${BASE}/messages`)
        .set('Authorization', mockCredentials.service.header())
        .send({
          externalId: `wamid.${hoursAgo}`,
          recipient: '+16505550001',
          templateName: 'offer',
          payload: { messaging_product: 'whatsapp', to: '+16505550001' },
          error: { code: 130429 },
          failedAt: DateTime.utc().minus({ hours: hoursAgo }).toISO(),
        });
    const older = (await report(5)).body.id;
    const newer = (await report(4)).body.id;
    const resent = await retry(newer);
    await deliverStatuses(suite.server, [
      {
        id: resent.body.attempt.providerMessageId,
        status: 'delivered',
        timestamp: '1764000000',
        biz_opaque_callback_data: newer,
      },
    ]);

    const res = await retry(older, {
      force: true,
      reason: 'The customer asked for this offer again',
    });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(
      failedMessagesForceRetryPermission.name,
    );
  });

  function retry(id: string, body: object = {}) {
    return request(suite.server)
      .post(`${BASE}/messages/${id}/retry`)
      .set('Authorization', ADMIN)
      .send(body);
  }
});

import { mockCredentials } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import request from 'supertest';
import { useFailedMessagesBackend } from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';
import { deliverStatuses } from '../__testUtils__/webhooks';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const ADMIN = mockCredentials.user.header('user:default/ada-admin');

/** A send of `campaign` at `sentAt` (ISO) and the status Meta reported of it. */
interface Sent {
  id: string;
  campaign: string;
  sentAt: string;
  status: 'sent' | 'delivered' | 'failed';
}

const SENDS: Sent[] = [
  // Wednesday 11 November 2026: its week starts on Monday the 9th.
  {
    id: 'wamid.W1',
    campaign: 'alpha',
    sentAt: '2026-11-11T09:00:00Z',
    status: 'delivered',
  },
  {
    id: 'wamid.W2',
    campaign: 'alpha',
    sentAt: '2026-11-11T09:00:00Z',
    status: 'failed',
  },
  {
    id: 'wamid.W3',
    campaign: 'beta',
    sentAt: '2026-11-15T23:00:00Z',
    status: 'delivered',
  },
  // Monday 16 November: the next week.
  {
    id: 'wamid.W4',
    campaign: 'beta',
    sentAt: '2026-11-16T01:00:00Z',
    status: 'sent',
  },
];

describe.each(databases.eachSupportedId())(
  'GET /statistics delivery trend on %s',
  databaseId => {
    const suite = useFailedMessagesBackend({
      database: { databases, id: databaseId },
      meta: () => ({ accept: true }),
    });

    const statistics = (query: Record<string, string>) =>
      request(suite.server)
        .get(`${BASE}/statistics`)
        .query(query)
        .set('Authorization', ADMIN);

    /** Logs the sends and delivers the status Meta reported of each. */
    async function logAndDeliver() {
      const logged = await request(suite.server)
        .post(`${BASE}/sends`)
        .set('Authorization', mockCredentials.service.header())
        .send({
          sends: SENDS.map(({ id, campaign, sentAt }) => ({
            externalId: id,
            recipient: '+16505550001',
            campaign,
            payload: { messaging_product: 'whatsapp', to: '+16505550001' },
            sentAt,
          })),
        });
      expect(logged.status).toBe(202);
      const delivered = await deliverStatuses(
        suite.server,
        SENDS.map(({ id, sentAt, status }) => ({
          id,
          status,
          timestamp: String(Math.floor(DateTime.fromISO(sentAt).toSeconds())),
          recipient_id: '16505550001',
          ...(status === 'failed'
            ? { errors: [{ code: 131026, title: 'Message undeliverable' }] }
            : {}),
        })),
      );
      expect(delivered.status).toBe(200);
    }

    it('gives each week its sends and rates', async () => {
      await logAndDeliver();
      const res = await statistics({
        from: '2026-11-10',
        to: '2026-11-17',
        bucket: 'week',
      });
      expect(res.status).toBe(200);
      expect(
        res.body.trend.map((b: any) => [b.bucketStart, b.delivery]),
      ).toEqual([
        [
          '2026-11-09',
          {
            sent: 3,
            delivered: 2,
            failed: 1,
            failureRate: 0.333,
            deliveryRate: 0.667,
          },
        ],
        [
          '2026-11-16',
          {
            sent: 1,
            delivered: 0,
            failed: 0,
            failureRate: 0,
            deliveryRate: 0,
          },
        ],
      ]);
    });

    it('answers null rates for a day nothing was sent on', async () => {
      await logAndDeliver();
      const res = await statistics({
        from: '2026-11-11',
        to: '2026-11-13',
        bucket: 'day',
      });
      expect(
        res.body.trend.map((b: any) => [b.bucketStart, b.delivery]),
      ).toEqual([
        [
          '2026-11-11',
          {
            sent: 2,
            delivered: 1,
            failed: 1,
            failureRate: 0.5,
            deliveryRate: 0.5,
          },
        ],
        ...['2026-11-12', '2026-11-13'].map(day => [
          day,
          {
            sent: 0,
            delivered: 0,
            failed: 0,
            failureRate: null,
            deliveryRate: null,
          },
        ]),
      ]);
    });

    it("narrows each bucket to the campaign's sends", async () => {
      await logAndDeliver();
      const res = await statistics({
        from: '2026-11-09',
        to: '2026-11-22',
        bucket: 'week',
        campaign: 'beta',
      });
      expect(
        res.body.trend.map((b: any) => [
          b.bucketStart,
          b.delivery.sent,
          b.delivery.deliveryRate,
        ]),
      ).toEqual([
        ['2026-11-09', 1, 1],
        ['2026-11-16', 1, 0],
      ]);
    });
  },
);

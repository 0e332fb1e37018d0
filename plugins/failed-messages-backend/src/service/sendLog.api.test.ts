import { mockCredentials } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import request from 'supertest';
import { useFailedMessagesBackend } from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';
import { deliverStatuses } from '../__testUtils__/webhooks';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const ADMIN = mockCredentials.user.header('user:default/ada-admin');
const SERVICE = mockCredentials.service.header();
/** The single number of the test config. */
const NUMBER = '1234567890';

const payloadTo = (recipient: string, text: string) => ({
  messaging_product: 'whatsapp',
  to: recipient,
  type: 'text',
  text: { body: text },
});

/** A logged send, sent at `sentAt` (ISO). */
const sendOf = (externalId: string, campaign: string, sentAt: string) => ({
  externalId,
  recipient: '+16505550001',
  campaign,
  templateName: `${campaign}_template`,
  payload: payloadTo('+16505550001', `${campaign} ${externalId}`),
  sentAt,
});

/** One status as Meta reports it, at `at` (ISO). */
const statusOf = (
  id: string,
  status: string,
  at: string,
  code?: number,
): Record<string, unknown> => ({
  id,
  status,
  timestamp: String(Math.floor(DateTime.fromISO(at).toSeconds())),
  recipient_id: '16505550001',
  ...(code ? { errors: [{ code, title: 'From Meta' }] } : {}),
});

describe.each(databases.eachSupportedId())('send log on %s', databaseId => {
  const suite = useFailedMessagesBackend({
    database: { databases, id: databaseId },
    meta: () => ({ accept: true }),
  });
  beforeEach(() => {
    suite.meta.requests.length = 0;
  });

  const get = (path: string) =>
    request(suite.server).get(`${BASE}${path}`).set('Authorization', ADMIN);
  const logSends = (body: object, authorization = SERVICE) =>
    request(suite.server)
      .post(`${BASE}/sends`)
      .set('Authorization', authorization)
      .send(body);
  const detailOf = async (externalId: string) => {
    const list = await get('/messages').query({ q: externalId });
    const found = list.body.items.find(
      (m: { externalId: string }) => m.externalId === externalId,
    );
    return (await get(`/messages/${found.id}`)).body;
  };
  const deliver = async (statuses: Array<Record<string, unknown>>) =>
    expect((await deliverStatuses(suite.server, statuses)).status).toBe(200);

  it('makes a failed status of a logged send a resendable record with its payload, which a retry sends', async () => {
    const sentAt = DateTime.utc().minus({ days: 1 }).toISO()!;
    const res = await logSends({
      sends: [sendOf('wamid.LOG-1', 'black-friday', sentAt)],
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1 });

    await deliver([statusOf('wamid.LOG-1', 'failed', sentAt, 130429)]);
    const detail = await detailOf('wamid.LOG-1');
    expect(detail).toMatchObject({
      campaign: 'black-friday',
      templateName: 'black-friday_template',
      payload: payloadTo('+16505550001', 'black-friday wamid.LOG-1'),
      error: { code: '130429' },
    });
    expect(detail.nextAutomaticRetryAt).not.toBeNull();

    const retry = await request(suite.server)
      .post(`${BASE}/messages/${detail.id}/retry`)
      .set('Authorization', ADMIN)
      .send({});
    expect(retry.status).toBe(200);
    expect(suite.meta.requests).toHaveLength(1);
    // To the recipient as Meta's status names it: the same number.
    expect(suite.meta.requests[0].body).toMatchObject(
      payloadTo('16505550001', 'black-friday wamid.LOG-1'),
    );

    // The resend is delivered: the failure is recovered, and the resend's
    // statuses are not counted as a send of the campaign.
    const now = DateTime.utc();
    await deliver([
      statusOf(retry.body.attempt.providerMessageId, 'sent', now.toISO()!),
      statusOf(retry.body.attempt.providerMessageId, 'delivered', now.toISO()!),
    ]);
    const statistics = await get('/statistics').query({
      from: DateTime.fromISO(sentAt).toISODate(),
      to: now.toISODate(),
    });
    expect(statistics.body.byCampaign).toContainEqual({
      campaign: 'black-friday',
      sent: 1,
      delivered: 0,
      failed: 1,
      recovered: 1,
      failureRate: 1,
      deliveryRate: 0,
    });
  });

  it("fills in a failure the webhook made first from a service's report, keeping Meta's error", async () => {
    const failedAt = DateTime.utc().minus({ hours: 2 }).toISO()!;
    await deliver([statusOf('wamid.HOOK-1', 'failed', failedAt, 131049)]);
    const before = await detailOf('wamid.HOOK-1');
    expect(before.payload).toBeNull();

    const report = await request(suite.server)
      .post(`${BASE}/messages`)
      .set('Authorization', SERVICE)
      .send({
        externalId: 'wamid.HOOK-1',
        recipient: '+16505550001',
        campaign: 'renewals',
        templateName: 'renewal_notice',
        payload: payloadTo('+16505550001', 'renewal'),
        error: { code: 130429, title: 'The service saw a rate limit' },
      });
    expect(report.status).toBe(200);
    expect(report.body.id).toBe(before.id);

    expect(await detailOf('wamid.HOOK-1')).toMatchObject({
      id: before.id,
      campaign: 'renewals',
      templateName: 'renewal_notice',
      payload: payloadTo('+16505550001', 'renewal'),
      error: { code: '131049', title: before.error.title },
      failedAt: before.failedAt,
    });
  });

  it('fills in a failure whose send is logged after its failed status', async () => {
    const at = DateTime.utc().minus({ hours: 3 }).toISO()!;
    await deliver([statusOf('wamid.LATE-1', 'failed', at, 130429)]);
    expect((await detailOf('wamid.LATE-1')).payload).toBeNull();

    await logSends({ sends: [sendOf('wamid.LATE-1', 'late-log', at)] });
    const detail = await detailOf('wamid.LATE-1');
    expect(detail).toMatchObject({
      campaign: 'late-log',
      payload: payloadTo('+16505550001', 'late-log wamid.LATE-1'),
      error: { code: '130429' },
    });
    expect(detail.nextAutomaticRetryAt).not.toBeNull();
  });

  it('counts each status of a message once, however often Meta delivers it, and figures the rates', async () => {
    const day = '2026-11-10';
    const at = `${day}T10:00:00Z`;
    await logSends({
      sends: ['A', 'B', 'C', 'D'].map(id =>
        sendOf(`wamid.RATE-${id}`, 'rates', at),
      ),
    });
    const statuses = [
      statusOf('wamid.RATE-A', 'sent', at),
      statusOf('wamid.RATE-A', 'delivered', at),
      statusOf('wamid.RATE-A', 'read', at),
      statusOf('wamid.RATE-B', 'delivered', at),
      statusOf('wamid.RATE-C', 'failed', at, 131026),
    ];
    await deliver(statuses);
    await deliver(statuses);
    await deliver([...statuses].reverse());

    const res = await get('/statistics').query({ from: day, to: day });
    expect(res.status).toBe(200);
    expect(res.body.delivery).toEqual({
      sent: 4,
      delivered: 2,
      read: 1,
      failed: 1,
      failureRate: 0.25,
      deliveryRate: 0.5,
    });
    expect(res.body.byCampaign).toEqual([
      {
        campaign: 'rates',
        sent: 4,
        delivered: 2,
        failed: 1,
        recovered: 0,
        failureRate: 0.25,
        deliveryRate: 0.5,
      },
    ]);
    expect(res.body.byNumber).toEqual([
      {
        phoneNumberId: NUMBER,
        label: NUMBER,
        sent: 4,
        delivered: 2,
        failed: 1,
        failureRate: 0.25,
        deliveryRate: 0.5,
      },
    ]);
  });

  it("answers the statistics of one campaign's messages with campaign", async () => {
    const day = '2026-11-11';
    const at = `${day}T10:00:00Z`;
    await logSends({
      sends: [
        sendOf('wamid.ALPHA-1', 'alpha', at),
        sendOf('wamid.ALPHA-2', 'alpha', at),
        sendOf('wamid.BETA-1', 'beta', at),
        sendOf('wamid.BETA-2', 'beta', at),
        sendOf('wamid.BETA-3', 'beta', at),
      ],
    });
    await deliver([
      statusOf('wamid.ALPHA-1', 'failed', at, 131026),
      statusOf('wamid.ALPHA-2', 'delivered', at),
      statusOf('wamid.BETA-1', 'delivered', at),
    ]);

    const of = (campaign: string) =>
      get('/statistics').query({ from: day, to: day, campaign });
    const alpha = (await of('alpha')).body;
    expect(alpha.delivery).toMatchObject({ sent: 2, delivered: 1, failed: 1 });
    expect(
      alpha.byCampaign.map((c: { campaign: string }) => c.campaign),
    ).toEqual(['alpha']);
    expect(alpha.byErrorCode).toMatchObject([{ code: '131026', failures: 1 }]);
    const beta = (await of('beta')).body;
    expect(beta.delivery).toMatchObject({ sent: 3, delivered: 1, failed: 0 });
    expect(beta.byErrorCode).toEqual([]);
    expect(
      (await get('/statistics').query({ from: day, to: day })).body.delivery
        .sent,
    ).toBe(5);
    const empty = await get('/statistics').query({ campaign: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('campaign');
  });

  it('answers null rates when nothing was sent', async () => {
    const res = await get('/statistics').query({
      from: '2025-01-01',
      to: '2025-01-31',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      delivery: {
        sent: 0,
        delivered: 0,
        read: 0,
        failed: 0,
        failureRate: null,
        deliveryRate: null,
      },
      byCampaign: [],
      byNumber: [],
    });
  });

  it('refuses bodies it cannot log, naming the problem, and callers that are not services', async () => {
    const at = DateTime.utc().toISO()!;
    const tooMany = await logSends({
      sends: Array.from({ length: 1001 }, (_, i) =>
        sendOf(`wamid.MANY-${i}`, 'many', at),
      ),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain(
      'sends must NOT have more than 1000 items',
    );

    const { externalId, ...withoutId } = sendOf('wamid.NO-ID', 'bad', at);
    const missing = await logSends({ sends: [withoutId] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain(
      "must have required property 'externalId'",
    );

    const elsewhere = await logSends({
      sends: [
        {
          ...sendOf('wamid.ELSEWHERE', 'bad', at),
          payload: payloadTo('+4915100000', 'someone else'),
        },
      ],
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.message).toContain(
      'Invalid report sends[0]: payload.to',
    );

    const undated = await logSends({
      sends: [sendOf('wamid.UNDATED', 'bad', 'yesterday')],
    });
    expect(undated.status).toBe(400);
    expect(undated.body.error.message).toContain('sentAt must match format');

    const byUser = await logSends(
      { sends: [sendOf('wamid.USER', 'bad', at)] },
      ADMIN,
    );
    expect(byUser.status).toBe(403);

    // Nothing of the refused calls was logged.
    await deliver([
      statusOf('wamid.USER', 'failed', at, 130429),
      statusOf('wamid.UNDATED', 'failed', at, 130429),
    ]);
    expect((await detailOf('wamid.USER')).payload).toBeNull();
    expect((await detailOf('wamid.UNDATED')).payload).toBeNull();
  });
});

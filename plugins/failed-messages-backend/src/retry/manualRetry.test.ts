import { mockCredentials } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import request from 'supertest';
import { ErrorCodeCatalogue } from '@msgops/plugin-failed-messages-common';
import {
  ACCESS_TOKEN,
  useFailedMessagesBackend,
} from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';
import { FakeAnswer, graphError } from '../__testUtils__/fakeWhatsApp';
import { deliverStatuses } from '../__testUtils__/webhooks';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const AGENT = 'user:default/alex-agent';

describe.each(databases.eachSupportedId())('manual retry on %s', databaseId => {
  let nextAnswer: () => FakeAnswer;
  const suite = useFailedMessagesBackend({
    database: { databases, id: databaseId },
    meta: () => nextAnswer(),
  });

  beforeEach(() => {
    nextAnswer = () => ({ accept: true });
    suite.meta.requests.length = 0;
  });

  async function reportFailure(code: number | string, overrides = {}) {
    const res = await request(suite.server)
      .post(`${BASE}/messages`)
      .set('Authorization', mockCredentials.service.header())
      .send({
        recipient: '+16505551234',
        templateName: `template_${Math.random()}`,
        payload: {
          messaging_product: 'whatsapp',
          to: '+16505551234',
          type: 'template',
          template: { name: 'order_update', language: { code: 'en_US' } },
        },
        error: { code },
        failedAt: DateTime.utc().minus({ days: 2 }).toISO(),
        ...overrides,
      });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  const retry = (id: string, body: object = {}) =>
    request(suite.server)
      .post(`${BASE}/messages/${id}/retry`)
      .set('Authorization', mockCredentials.user.header(AGENT))
      .send(body);

  const detail = async (id: string) =>
    (
      await request(suite.server)
        .get(`${BASE}/messages/${id}`)
        .set('Authorization', mockCredentials.user.header(AGENT))
    ).body;

  it('resends the stored payload and records the attempt', async () => {
    const id = await reportFailure(130429);
    const res = await retry(id, { reason: 'customer asked' });
    expect(res.status).toBe(200);
    expect(res.body.attempt).toMatchObject({
      attemptNumber: 1,
      trigger: 'manual',
      actor: AGENT,
      outcome: 'succeeded',
      providerMessageId: expect.stringMatching(/^wamid\.FAKE/),
      error: null,
    });
    expect(res.body.message).toMatchObject({
      retryStatus: 'retry-succeeded',
      manualAttempts: 1,
      automaticAttempts: 0,
    });
    expect(await detail(id)).toEqual(res.body.message);

    expect(suite.meta.requests).toHaveLength(1);
    const [sent] = suite.meta.requests;
    expect(sent.path).toBe('/v23.0/1234567890/messages');
    expect(sent.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(sent.body).toMatchObject({
      messaging_product: 'whatsapp',
      to: '+16505551234',
      template: { name: 'order_update' },
      biz_opaque_callback_data: id,
    });

    const again = await retry(id);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/accepted the last retry/);
    expect(suite.meta.requests).toHaveLength(1);
  });

  it('resolves the message when WhatsApp delivers the resend', async () => {
    const id = await reportFailure(131000);
    const { attempt } = (await retry(id)).body;
    const res = await deliverStatuses(suite.server, [
      {
        id: attempt.providerMessageId,
        status: 'delivered',
        timestamp: String(Math.floor(Date.now() / 1000)),
        biz_opaque_callback_data: id,
      },
    ]);
    expect(res.status).toBe(200);
    const message = await detail(id);
    expect(message.resolvedAt).not.toBeNull();
    expect(message.eligibility.reason).toMatch(/Already delivered/);
  });

  it('fails the message again when WhatsApp later reports the resend failed', async () => {
    const id = await reportFailure(131000);
    const { attempt } = (await retry(id)).body;
    const failed = {
      id: attempt.providerMessageId,
      status: 'failed',
      timestamp: String(Math.floor(Date.now() / 1000)),
      biz_opaque_callback_data: id,
      errors: [{ code: 131026, title: 'Message undeliverable' }],
    };
    expect((await deliverStatuses(suite.server, [failed])).status).toBe(200);
    expect((await deliverStatuses(suite.server, [failed])).status).toBe(200);

    const message = await detail(id);
    expect(message).toMatchObject({
      retryStatus: 'retry-failed',
      category: 'non-retryable',
      error: { code: '131026', title: 'Message undeliverable' },
    });
    expect(message.attempts).toHaveLength(1);
    expect(message.attempts[0]).toMatchObject({
      outcome: 'failed',
      error: { code: '131026' },
    });
  });

  it('records a failed resend with the new error and counts it', async () => {
    const id = await reportFailure(131000);
    nextAnswer = () => ({
      status: 400,
      body: graphError(130429, 'Rate limit hit'),
    });
    const res = await retry(id);
    expect(res.status).toBe(200);
    expect(res.body.attempt).toMatchObject({
      outcome: 'failed',
      error: { code: '130429', title: 'Rate limit hit' },
    });
    expect(res.body.message).toMatchObject({
      retryStatus: 'retry-failed',
      manualAttempts: 1,
      error: { code: '130429' },
    });
    // The next automatic retry waits from the attempt the page shows last.
    expect(res.body.message.lastAttemptAt).toBe(res.body.attempt.startedAt);
    expect(
      DateTime.fromISO(res.body.message.nextAutomaticRetryAt)
        .diff(DateTime.fromISO(res.body.message.lastAttemptAt))
        .as('seconds'),
    ).toBe(
      ErrorCodeCatalogue.waitBeforeRetrySeconds(
        new ErrorCodeCatalogue().lookup('130429'),
        1,
      ),
    );
    // The page shows the same after a reload.
    expect(await detail(id)).toEqual(res.body.message);
  });

  it('needs force for a business rule that never allows a resend, and then sends', async () => {
    const id = await reportFailure(131047);
    const refused = await retry(id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/forced/);
    expect(suite.meta.requests).toHaveLength(0);

    const unexplained = await retry(id, { force: true });
    expect(unexplained.status).toBe(400);
    expect(unexplained.body.error.message).toContain(
      'a forced retry needs a reason',
    );
    expect(suite.meta.requests).toHaveLength(0);

    const forced = await retry(id, {
      force: true,
      reason: 'The customer wrote again this morning',
    });
    expect(forced.status).toBe(200);
    expect(suite.meta.requests).toHaveLength(1);
  });

  it('never resends a non-retryable error, even forced', async () => {
    const id = await reportFailure(131050);
    const res = await retry(id, { force: true, reason: 'checked the number' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/Cannot retry/);
    expect(suite.meta.requests).toHaveLength(0);
  });

  it('records an attempt whose outcome is unknown and does not resend it', async () => {
    const id = await reportFailure(131000);
    nextAnswer = () => ({
      status: 200,
      body: { messaging_product: 'whatsapp' },
    });
    const res = await retry(id);
    expect(res.status).toBe(200);
    expect(res.body.attempt.outcome).toBe('outcome-unknown');
    expect(res.body.message.retryStatus).toBe('outcome-unknown');
    expect(await detail(id)).toEqual(res.body.message);
    expect((await retry(id)).status).toBe(409);
    expect(suite.meta.requests).toHaveLength(1);
  });

  it('sends once when many people retry the same message at once', async () => {
    const id = await reportFailure(131000);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => retry(id)),
    );
    expect(answers.filter(a => a.status === 200)).toHaveLength(1);
    expect(answers.filter(a => a.status === 409)).toHaveLength(7);
    expect(suite.meta.requests).toHaveLength(1);
  });

  it('answers 404 for an unknown message and 400 for a bad body', async () => {
    expect((await retry('no-such-message')).status).toBe(404);
    const id = await reportFailure(131000);
    const bad = await retry(id, { force: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/force/);
  });
});

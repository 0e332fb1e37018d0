import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { useFailedMessagesBackend } from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';
import { FakeAnswer, heldAcceptance } from '../__testUtils__/fakeWhatsApp';
import { reportFailures } from '../__testUtils__/reports';
import { deliverStatuses } from '../__testUtils__/webhooks';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const AGENT = mockCredentials.user.header('user:default/alex-agent');

describe.each(databases.eachSupportedId())(
  'statuses of resends on %s',
  databaseId => {
    let answer: FakeAnswer;
    const suite = useFailedMessagesBackend({
      database: { databases, id: databaseId },
      meta: () => answer,
    });

    const reportFailure = async () =>
      (await reportFailures(suite.server, 'statuses', 1))[0];

    const retry = (id: string) =>
      request(suite.server)
        .post(`${BASE}/messages/${id}/retry`)
        .set('Authorization', AGENT)
        .send({});

    /** A failed message retried once, with the answer Meta gave. */
    async function retried(fault: FakeAnswer) {
      const id = await reportFailure();
      answer = fault;
      const res = await retry(id);
      expect(res.status).toBe(200);
      return { id, attempt: res.body.attempt };
    }

    const detail = async (id: string) =>
      (
        await request(suite.server)
          .get(`${BASE}/messages/${id}`)
          .set('Authorization', AGENT)
      ).body;

    const status = (
      id: string,
      messageId: string,
      kind: string,
      timestamp = 1764000000,
    ) => ({
      id,
      status: kind,
      timestamp: String(timestamp),
      recipient_id: '16505551234',
      biz_opaque_callback_data: messageId,
      ...(kind === 'failed' && {
        errors: [
          {
            code: 131026,
            title: 'Message undeliverable',
            message: 'Message undeliverable',
          },
        ],
      }),
    });

    it('accepts a delivered status for a resend of unknown outcome and resolves the message', async () => {
      const { id, attempt } = await retried({ status: 502 });
      expect(attempt.outcome).toBe('outcome-unknown');

      const res = await deliverStatuses(suite.server, [
        status('wamid.LOST1', id, 'delivered'),
      ]);

      expect(res.status).toBe(200);
      const message = await detail(id);
      expect(message.resolvedAt).not.toBeNull();
      expect(message.retryStatus).toBe('retry-succeeded');
      expect(message.attempts).toEqual([
        expect.objectContaining({
          outcome: 'succeeded',
          providerMessageId: 'wamid.LOST1',
        }),
      ]);
    });

    it('accepts a failed status for a resend of unknown outcome and fails the attempt with its error', async () => {
      const { id } = await retried({ status: 502 });

      const res = await deliverStatuses(suite.server, [
        status('wamid.LOST2', id, 'failed'),
      ]);

      expect(res.status).toBe(200);
      const message = await detail(id);
      expect(message).toMatchObject({
        retryStatus: 'retry-failed',
        resolvedAt: null,
        error: { code: '131026' },
      });
      expect(message.attempts).toEqual([
        expect.objectContaining({
          outcome: 'failed',
          providerMessageId: 'wamid.LOST2',
          error: expect.objectContaining({ code: '131026' }),
        }),
      ]);
    });

    it('does not mark a message delivered by a sent that arrives after its failure', async () => {
      const { id, attempt } = await retried({ accept: true });
      const wamid = attempt.providerMessageId;

      const failedRes = await deliverStatuses(suite.server, [
        status(wamid, id, 'failed', 1764000010),
      ]);
      const lateRes = await deliverStatuses(suite.server, [
        status(wamid, id, 'sent', 1764000005),
      ]);

      expect([failedRes.status, lateRes.status]).toEqual([200, 200]);
      const message = await detail(id);
      expect(message).toMatchObject({
        retryStatus: 'retry-failed',
        resolvedAt: null,
      });
      expect(message.attempts[0].outcome).toBe('failed');
    });

    it('shows every status of an accepted resend with its time, though Meta sends them twice and out of order', async () => {
      const { id, attempt } = await retried({ accept: true });
      const wamid = attempt.providerMessageId;
      const at = (timestamp: number) =>
        new Date(timestamp * 1000).toISOString();

      for (const [kind, timestamp] of [
        ['read', 1764000020],
        ['delivered', 1764000010],
        ['read', 1764000030],
        ['sent', 1764000005],
      ] as const) {
        const res = await deliverStatuses(suite.server, [
          status(wamid, id, kind, timestamp),
        ]);
        expect(res.status).toBe(200);
      }

      const [shown] = (await detail(id)).attempts;
      expect(shown.statuses).toEqual([
        { status: 'sent', at: at(1764000005) },
        { status: 'delivered', at: at(1764000010) },
        { status: 'read', at: at(1764000020) },
      ]);
      expect(shown.delivery).toEqual({ status: 'read', at: at(1764000020) });
    });

    it('answers 503 only while the send of the resend is still being recorded', async () => {
      const id = await reportFailure();
      // Meta holds the send open until the early status has its answer.
      const held = heldAcceptance();
      answer = held.answer;
      const retrying = retry(id).then(res => res);
      for (let i = 0; i < 100 && !suite.meta.requests.length; i++) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }

      const early = await deliverStatuses(suite.server, [
        status('wamid.EARLY', id, 'sent'),
      ]);
      held.release();

      expect(early.status).toBe(503);
      expect((await retrying).status).toBe(200);
    });
  },
);

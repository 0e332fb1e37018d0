import { RetryStatus } from '@msgops/plugin-failed-messages-common';
import {
  FakeAnswer,
  FakeWhatsApp,
  startFakeWhatsApp,
} from '../../../__testUtils__/fakeWhatsApp';
import { newMessage } from '../../../__testUtils__/messages';
import { engineSendingTo } from '../../../__testUtils__/retryStack';
import { describeStore, listQuery } from '../../__testUtils__/testStore';
import { AttemptStatusReport } from '../../types';

const META_ERROR = {
  code: '131026',
  title: 'Message undeliverable',
  message: null,
  details: null,
};

const isFor =
  (messageId: string) => (request: { body: Record<string, unknown> }) =>
    request.body.biz_opaque_callback_data === messageId;

describeStore('attempt statuses', db => {
  let meta: FakeWhatsApp;
  let answer: FakeAnswer;

  beforeAll(async () => {
    meta = await startFakeWhatsApp(() => answer);
  });

  afterAll(() => meta.close());

  /** A message retried once, with the answer Meta gave. */
  async function retriedMessage(fault: FakeAnswer) {
    answer = fault;
    const [{ id }] = await db.store.insertMessages([newMessage()]);
    const { attempt } = await engineSendingTo(meta.baseUrl, db.store).retryById(
      id,
      { trigger: 'manual', actor: 'user:default/alex-agent' },
    );
    return { id, attempt };
  }

  const status = (
    report: Partial<AttemptStatusReport> &
      Pick<AttemptStatusReport, 'providerMessageId' | 'status'>,
  ): AttemptStatusReport => ({
    messageId: null,
    at: new Date('2026-12-01T10:00:00Z'),
    error: null,
    now: new Date(),
    ...report,
  });

  it('settles an unknown outcome with the id a delivered status brings', async () => {
    const { id, attempt } = await retriedMessage({ status: 502 });
    expect(attempt.outcome).toBe('outcome-unknown');

    const left = await db.store.recordAttemptStatus(
      status({
        providerMessageId: 'wamid.LOST',
        messageId: id,
        status: 'delivered',
      }),
    );

    expect(left).toEqual({ kind: 'resolve', messageId: id });
    expect(await db.store.listAttempts(id)).toEqual([
      expect.objectContaining({
        id: attempt.id,
        outcome: 'succeeded',
        error: null,
        providerMessageId: 'wamid.LOST',
      }),
    ]);
    expect((await db.store.getMessage(id))?.retryStatus).toBe(
      'retry-succeeded',
    );
    // The counts behind the list's totals moved with it.
    const total = async (retryStatus: RetryStatus) =>
      (
        await db.store.listMessages(
          listQuery({ filter: { retryStatus: [retryStatus] } }),
        )
      ).totalCount;
    expect(await total('outcome-unknown')).toBe(0);
    expect(await total('retry-succeeded')).toBe(1);
  });

  it('settles an unknown outcome as accepted when Meta reports it failed, for the failure to apply', async () => {
    const { id, attempt } = await retriedMessage({ status: 502 });

    const left = await db.store.recordAttemptStatus(
      status({
        providerMessageId: 'wamid.LOST',
        messageId: id,
        status: 'failed',
        error: META_ERROR,
      }),
    );

    expect(left).toEqual({ kind: 'fail' });
    const found = await db.store.findAttemptsByProviderMessageIds([
      'wamid.LOST',
    ]);
    expect(found.get('wamid.LOST')).toMatchObject({
      messageId: id,
      attempt: { id: attempt.id, providerMessageId: 'wamid.LOST' },
    });
  });

  it('keeps a failure final: a sent or delivered after it resolves nothing', async () => {
    const { attempt } = await retriedMessage({ accept: true });
    const wamid = attempt.providerMessageId!;

    expect(
      await db.store.recordAttemptStatus(
        status({
          providerMessageId: wamid,
          status: 'failed',
          error: META_ERROR,
        }),
      ),
    ).toEqual({ kind: 'fail' });
    for (const late of ['sent', 'delivered'] as const) {
      expect(
        await db.store.recordAttemptStatus(
          status({
            providerMessageId: wamid,
            status: late,
            // Meta's time says it happened before the failure.
            at: new Date('2026-12-01T09:59:00Z'),
          }),
        ),
      ).toEqual({ kind: 'nothing' });
    }
  });

  it('resolves on every positive status of an accepted resend, in any order', async () => {
    const { id, attempt } = await retriedMessage({ accept: true });
    const wamid = attempt.providerMessageId!;

    for (const positive of ['read', 'sent', 'delivered'] as const) {
      expect(
        await db.store.recordAttemptStatus(
          status({ providerMessageId: wamid, status: positive }),
        ),
      ).toEqual({ kind: 'resolve', messageId: id });
    }
  });

  it('gives a status nothing to settle when every attempt has its id', async () => {
    const { id } = await retriedMessage({ accept: true });

    expect(
      await db.store.recordAttemptStatus(
        status({
          providerMessageId: 'wamid.OTHER',
          messageId: id,
          status: 'sent',
        }),
      ),
    ).toEqual({ kind: 'nothing' });
    expect(
      await db.store.findAttemptsByProviderMessageIds(['wamid.OTHER']),
    ).toEqual(new Map());
  });

  it('answers being-recorded while the claim of an unanswered send holds', async () => {
    const [{ id }] = await db.store.insertMessages([newMessage()]);
    answer = { accept: true, delayMs: 1500 };
    const retrying = engineSendingTo(meta.baseUrl, db.store).retryById(id, {
      trigger: 'manual',
      actor: 'user:default/alex-agent',
    });
    for (let i = 0; i < 100 && !meta.requests.some(isFor(id)); i++) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }

    expect(
      await db.store.recordAttemptStatus(
        status({
          providerMessageId: 'wamid.EARLY',
          messageId: id,
          status: 'sent',
        }),
      ),
    ).toEqual({ kind: 'being-recorded' });
    expect((await retrying).attempt.outcome).toBe('succeeded');
  });
});

import { describeStore } from '../database/__testUtils__/testStore';
import {
  FakeAnswer,
  FakeWhatsApp,
  startFakeWhatsApp,
} from '../__testUtils__/fakeWhatsApp';
import { newMessage } from '../__testUtils__/messages';
import { engineSendingTo } from '../__testUtils__/retryStack';

describeStore('a resend Meta may have taken', db => {
  let meta: FakeWhatsApp;
  let answer: FakeAnswer;

  beforeAll(async () => {
    meta = await startFakeWhatsApp(() => answer);
  });

  afterAll(() => meta.close());

  it.each<{ kind: string; fault: FakeAnswer }>([
    {
      kind: 'an answer after the timeout',
      fault: { accept: true, delayMs: 400 },
    },
    { kind: '200 headers and a stall', fault: { stallAfterHeaders: true } },
    { kind: 'a 502 without a body', fault: { status: 502 } },
    { kind: 'a reset connection', fault: { resetAfterBody: true } },
  ])(
    'is outcome-unknown and left out of the automatic run after $kind',
    async ({ fault }) => {
      answer = fault;
      const [{ id }] = await db.store.insertMessages([
        newMessage({ nextAutomaticRetryAt: new Date('2026-11-20T10:01:00Z') }),
      ]);
      const engine = engineSendingTo(meta.baseUrl, db.store, {
        timeoutMs: 200,
      });

      const { attempt, message } = await engine.retryById(id, {
        trigger: 'manual',
        actor: 'user:default/alex-agent',
      });

      expect(attempt.outcome).toBe('outcome-unknown');
      expect(message.retryStatus).toBe('outcome-unknown');
      expect((await db.store.getMessage(id))?.retryStatus).toBe(
        'outcome-unknown',
      );
      const due = await db.store.listDueForAutomaticRetry({
        now: new Date('2027-01-01T00:00:00Z'),
        maxAttempts: 3,
        limit: 10,
      });
      expect(due.map(entry => entry.message.id)).not.toContain(id);
    },
  );
});

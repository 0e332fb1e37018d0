import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { ErrorCodeCatalogue } from '@msgops/plugin-failed-messages-common';
import { SendResult } from '@msgops/plugin-failed-messages-node';
import { newMessage } from '../__testUtils__/messages';
import { testNumbers } from '../__testUtils__/numbers';
import { describeStore } from '../database/__testUtils__/testStore';
import { RetryEngine } from './RetryEngine';

/** A provider whose answers the test gives, one send at a time. */
function heldProvider() {
  const answers: Array<(result: SendResult) => void> = [];
  return {
    answers,
    sender: {
      send: () =>
        new Promise<SendResult>(resolve => {
          answers.push(resolve);
        }),
    },
  };
}

const ACCEPTED: SendResult = {
  outcome: 'accepted',
  providerMessageId: 'wamid.late',
};

async function until(condition: () => Promise<boolean>) {
  while (!(await condition())) {
    await new Promise(resolve => setImmediate(resolve));
  }
}

describeStore('a send that outlives its lease', db => {
  it('cannot overwrite a newer claim, so no third send follows', async () => {
    const provider = heldProvider();
    const logger = mockServices.logger.mock();
    const engine = new RetryEngine({
      store: db.store,
      catalogue: new ErrorCodeCatalogue(),
      sender: provider.sender,
      numbers: testNumbers(),
      logger,
      maxAutomaticAttempts: 3,
      leaseSeconds: 60,
    });
    const [report] = await db.store.insertMessages([newMessage()]);
    const person = { trigger: 'manual' as const, actor: 'user:default/ada' };
    const status = async () =>
      (await db.store.getMessage(report.id))?.retryStatus;

    const first = engine.retryById(report.id, person);
    await until(async () => provider.answers.length === 1);
    // The first send hangs past its lease; the sweep gives up on it.
    expect(await db.store.expireLeases(new Date(Date.now() + 61_000))).toBe(1);
    expect(await status()).toBe('outcome-unknown');

    const second = engine.retryById(report.id, { ...person, force: true });
    await until(async () => provider.answers.length === 2);
    provider.answers[0](ACCEPTED);
    const late = await first;

    expect(late.message.retryStatus).toBe('retrying');
    expect(await status()).toBe('retrying');
    expect(
      (await db.store.listAttempts(report.id)).map(a => a.outcome),
    ).toEqual(['outcome-unknown', 'in-progress']);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('after its claim lapsed'),
    );
    await expect(
      engine.retryById(report.id, { ...person, force: true }),
    ).rejects.toThrow(ConflictError);

    provider.answers[1](ACCEPTED);
    await second;
    expect(await status()).toBe('retry-succeeded');
    expect(provider.answers).toHaveLength(2);
  });
});

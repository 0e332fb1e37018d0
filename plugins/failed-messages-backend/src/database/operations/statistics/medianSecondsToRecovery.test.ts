import { newMessage } from '../../../__testUtils__/messages';
import { describeStore } from '../../__testUtils__/testStore';

const FAILED_AT = new Date('2026-11-20T00:00:00Z');
const hoursAfterFailure = (hours: number) =>
  new Date(FAILED_AT.getTime() + hours * 3600 * 1000);

describeStore('median time to recovery', db => {
  /** Stores one message per duration, delivered that many hours after it failed. */
  async function recoverAfter(hours: number[]) {
    const stored = await db.store.insertMessages(
      hours.map(() => newMessage({ failedAt: FAILED_AT })),
    );
    for (const [index, report] of stored.entries()) {
      await db.store.resolveMessage(report.id, hoursAfterFailure(hours[index]));
    }
  }

  const median = async () =>
    (
      await db.store.getStatisticsAggregates({
        fromDay: '2026-11-20',
        toDay: '2026-11-30',
      })
    ).medianSecondsToRecovery;

  it('is the middle duration of an odd count', async () => {
    await recoverAfter([48, 1, 100, 2, 3]);
    expect(await median()).toBe(3 * 3600);
  });

  it('is the mean of the two middle durations of an even count', async () => {
    await recoverAfter([10, 1, 4, 2]);
    expect(await median()).toBe(3 * 3600);
  });

  it('counts only messages delivered in the window', async () => {
    // Delivered on 1 December, after the window.
    await recoverAfter([1, 2, 11 * 24]);
    expect(await median()).toBe(1.5 * 3600);
  });

  it('is null when nothing was delivered', async () => {
    await db.store.insertMessages([newMessage({ failedAt: FAILED_AT })]);
    expect(await median()).toBeNull();
  });
});

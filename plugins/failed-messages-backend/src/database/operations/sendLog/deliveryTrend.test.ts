import { describeStore } from '../../__testUtils__/testStore';
import { DeliveryStatus } from '../../SendLogStore';

const NUMBER = '106540352242922';

/** Sunday 22 November 2026 to Monday 30 November: three ISO weeks. */
const WINDOW = { fromDay: '2026-11-22', toDay: '2026-11-30' };

describeStore('delivery trend', db => {
  /** Logs one send at `sentAt` and reports its statuses. */
  async function sent(
    externalId: string,
    campaign: string,
    sentAt: string,
    statuses: DeliveryStatus[],
  ) {
    await db.store.logSends([
      {
        externalId,
        phoneNumberId: NUMBER,
        recipient: '+16505551234',
        campaign,
        templateName: null,
        payload: { messaging_product: 'whatsapp' },
        sentAt: new Date(sentAt),
      },
    ]);
    await db.store.recordDeliveryStatuses(
      statuses.map(status => ({
        externalId,
        status,
        at: new Date(sentAt),
        recipient: '16505551234',
        phoneNumberId: NUMBER,
      })),
    );
  }

  beforeEach(async () => {
    // Before the window: never counted.
    await sent('wamid.SAT', 'black-friday', '2026-11-21T12:00:00Z', [
      'delivered',
    ]);
    // The last minutes of a Sunday and the first of the next Monday fall in
    // two weeks.
    await sent('wamid.SUN', 'black-friday', '2026-11-22T23:59:00Z', [
      'delivered',
    ]);
    await sent('wamid.MON', 'black-friday', '2026-11-23T00:01:00Z', ['failed']);
    await sent('wamid.SUN2', 'cyber-monday', '2026-11-29T18:00:00Z', ['read']);
    await sent('wamid.LAST', 'black-friday', '2026-11-30T08:00:00Z', ['sent']);
  });

  it('sums the counts per ISO week, from Monday, within the window', async () => {
    expect(
      await db.store.getDeliveryTrend({ ...WINDOW, bucket: 'week' }),
    ).toEqual([
      { bucketStart: '2026-11-16', sent: 1, delivered: 1, failed: 0 },
      { bucketStart: '2026-11-23', sent: 2, delivered: 1, failed: 1 },
      { bucketStart: '2026-11-30', sent: 1, delivered: 0, failed: 0 },
    ]);
  });

  it('sums the counts per day, leaving out the days without sends', async () => {
    expect(
      await db.store.getDeliveryTrend({ ...WINDOW, bucket: 'day' }),
    ).toEqual([
      { bucketStart: '2026-11-22', sent: 1, delivered: 1, failed: 0 },
      { bucketStart: '2026-11-23', sent: 1, delivered: 0, failed: 1 },
      { bucketStart: '2026-11-29', sent: 1, delivered: 1, failed: 0 },
      { bucketStart: '2026-11-30', sent: 1, delivered: 0, failed: 0 },
    ]);
  });

  it('counts only the sends of the campaign asked for', async () => {
    expect(
      await db.store.getDeliveryTrend({
        ...WINDOW,
        bucket: 'week',
        campaign: 'cyber-monday',
      }),
    ).toEqual([
      { bucketStart: '2026-11-23', sent: 1, delivered: 1, failed: 0 },
    ]);
  });
});

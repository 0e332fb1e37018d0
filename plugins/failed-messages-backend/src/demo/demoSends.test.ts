import { mockServices } from '@backstage/backend-test-utils';
import { ErrorCodeCatalogue } from '@msgops/plugin-failed-messages-common';
import { DateTime } from 'luxon';
import { createTestDatabases, initTestStore } from '../__testUtils__/databases';
import { testNumbers } from '../__testUtils__/numbers';
import { computeStatistics } from '../service/statistics';
import { seedDemoData } from './seedDemoData';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('demo sends on %s', id => {
  it('give the statistics delivery and failure rates by campaign and number', async () => {
    const { store } = await initTestStore(databases, id);
    const catalogue = new ErrorCodeCatalogue();
    const numbers = testNumbers();
    await seedDemoData({
      store,
      catalogue,
      logger: mockServices.logger.mock(),
      maxAutomaticAttempts: 3,
      numbers,
    });

    const today = DateTime.utc().startOf('day');
    const statistics = await computeStatistics(
      store,
      catalogue,
      { from: today.minus({ days: 29 }), to: today, bucket: 'day' },
      numbers,
    );
    const { delivery, byCampaign, byNumber } = statistics;
    expect(delivery.sent).toBeGreaterThan(5000);
    expect(delivery.failureRate).toBeGreaterThan(0.02);
    expect(delivery.failureRate).toBeLessThan(0.1);
    expect(delivery.deliveryRate).toBeGreaterThan(0.85);
    expect(delivery.read).toBeLessThan(delivery.delivered);
    expect(byCampaign).toHaveLength(5);
    const worst = [...byCampaign].sort(
      (a, b) => b.failureRate! - a.failureRate!,
    )[0];
    expect(worst.campaign).toBe('black-friday-2026');
    expect(byCampaign.some(campaign => campaign.recovered > 0)).toBe(true);
    expect(byNumber[0]).toMatchObject({
      phoneNumberId: '1234567890',
      label: '1234567890',
    });
  });
});

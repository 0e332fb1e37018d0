import { expect, test } from '@playwright/test';
import { accessibilityViolations, signIn } from './page';

test('the statistics show the delivery rates of the demo sends, and a campaign leads to its failures', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/failed-messages?tab=statistics');

  const rates = page.getByRole('region', { name: 'Delivery rates' });
  await expect(
    rates.getByRole('group', { name: 'Failure rate' }),
  ).toContainText(/\d+%/);
  await expect(
    rates.getByRole('group', { name: 'Delivery rate' }),
  ).toContainText(/\d+%/);
  // Both rates per day: two lines, and the overall rates in words.
  const trend = rates.getByRole('figure', {
    name: 'Failure and delivery rates per day',
  });
  await expect(trend.locator('path.recharts-line-curve')).toHaveCount(2);
  await expect(
    trend.getByRole('img', {
      name: /failure rate \d+% and delivery rate \d+%/,
    }),
  ).toBeVisible();

  // Every demo campaign has a row (other browser tests may add their own).
  const campaigns = page.getByRole('table', { name: 'Campaigns' });
  for (const campaign of [
    'black-friday-2026',
    'order-updates',
    'appointment-reminders',
    'welcome-series',
    'payment-reminders',
  ]) {
    await expect(
      campaigns.getByRole('link', {
        name: `Show the failed messages of ${campaign}`,
      }),
    ).toBeVisible();
  }
  await expect(
    page
      .getByRole('table', { name: 'Business numbers' })
      .getByRole('cell', { name: 'Support DE', exact: true }),
  ).toBeVisible();
  expect(await accessibilityViolations(page, 'article')).toEqual([]);

  // Most failing first: the sale's rush fails most in the demo.
  await campaigns.getByRole('button', { name: 'Failure rate' }).click();
  await expect(campaigns.getByRole('row').nth(1)).toContainText(
    'black-friday-2026',
  );

  // One campaign's statistics.
  await page
    .getByLabel('Campaign', { exact: true })
    .selectOption('black-friday-2026');
  await expect(campaigns.getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('region', { name: 'Key figures' })).toBeVisible();

  await page
    .getByRole('link', {
      name: 'Show the failed messages of black-friday-2026',
    })
    .click();
  await expect(page).toHaveURL(/[?&]campaign=black-friday-2026/);
  await expect(page.getByRole('tab', { name: 'Messages' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(
    page.getByRole('table', { name: 'Failed messages' }).getByRole('row'),
  ).not.toHaveCount(1);
});

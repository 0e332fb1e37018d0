import { expect, test } from '@playwright/test';
import { signIn } from './page';

test('the campaign filter suggests the demo campaigns as one types and still takes any text', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/failed-messages');
  const filters = page.getByRole('region', { name: 'Filters' });
  const campaign = filters.getByRole('searchbox', { name: 'Campaign' });

  await campaign.fill('REMIND');
  const suggestions = page.getByRole('listbox');
  await expect(
    suggestions.getByRole('option', { name: 'appointment-reminders' }),
  ).toBeVisible();
  await expect(
    suggestions.getByRole('option', { name: 'payment-reminders' }),
  ).toBeVisible();
  await expect(
    suggestions.getByRole('option', { name: 'order-updates' }),
  ).toBeHidden();

  await suggestions.getByRole('option', { name: 'payment-reminders' }).click();
  await expect(page).toHaveURL(/[?&]campaign=payment-reminders(&|$)/);
  await expect(campaign).toHaveValue('payment-reminders');

  await campaign.fill('no-such-campaign');
  await expect(page).toHaveURL(/[?&]campaign=no-such-campaign(&|$)/);
});

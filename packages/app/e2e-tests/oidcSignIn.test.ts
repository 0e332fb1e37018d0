import { expect, Page, test } from '@playwright/test';

/**
 * The third backend of playwright.config.ts: the production config, which
 * signs users in through OpenID Connect, here the local provider of
 * oidcProvider.ts.
 */
const OIDC_BACKEND = 'http://localhost:7079';

/** Signs in on the provider's own pages, in the popup the sign-in page opens. */
async function signInThroughProvider(page: Page, email: string) {
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Sign In' }).click();
  const popup = await popupOpened;
  await popup.getByPlaceholder('Enter any login').fill(email);
  await popup.getByPlaceholder('and password').fill('any password');
  await popup.getByRole('button', { name: 'Sign-in' }).click();
  // The provider asks once whether the portal may read the profile.
  await popup.getByRole('button', { name: 'Continue' }).click();
  await popup.waitForEvent('close');
}

test.use({ baseURL: OIDC_BACKEND });

test('an agent signs in through the OpenID provider as their catalog user, cannot bulk retry, and stays signed in across a reload', async ({
  page,
}) => {
  await page.goto('/failed-messages');
  await expect(page.getByText('Company sign-in')).toBeVisible();
  // The guest of development is not offered.
  await expect(page.getByRole('button', { name: 'Enter' })).toHaveCount(0);

  const pageRequest = page.waitForRequest(
    request =>
      request.url().startsWith(`${OIDC_BACKEND}/api/failed-messages/`) &&
      request.headers().authorization !== undefined,
  );
  await signInThroughProvider(page, 'alex-agent@example.com');
  const authorization = (await pageRequest).headers().authorization;

  // The email resolved to the catalog user, a member of messaging-agents.
  const userInfo = await page.request.get('/api/auth/v1/userinfo', {
    headers: { authorization },
  });
  expect(userInfo.status()).toBe(200);
  const { claims } = await userInfo.json();
  expect(claims.sub).toBe('user:default/alex-agent');
  expect(claims.ent).toContain('group:default/messaging-agents');

  // An agent sees the retryable messages but no bulk retry of them.
  const retryableCard = page
    .getByRole('region', { name: 'Summary' })
    .getByRole('button', { name: /^Retryable: \d+$/ });
  await retryableCard.click();
  await expect(retryableCard).toHaveAttribute('aria-pressed', 'true');
  await expect(
    page
      .getByRole('region', { name: 'Message list' })
      .getByLabel(/^Details of the message to /)
      .first(),
  ).toBeVisible();
  await expect(
    page.getByRole('button', { name: /^Retry all matching/ }),
  ).toHaveCount(0);

  // And the backend refuses them the bulk retries.
  const bulkRetries = await page.request.get(
    '/api/failed-messages/bulk-retries',
    { headers: { authorization } },
  );
  expect(bulkRetries.status()).toBe(403);

  // A reload keeps them signed in: the session is refreshed, not asked for.
  await page.reload();
  await expect(retryableCard).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign In' })).toHaveCount(0);
});

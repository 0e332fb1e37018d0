import { expect, test } from '@playwright/test';

/**
 * What an adopter checks after following the READMEs: a service reports a
 * failure through the service API with its ingestion token, and a person
 * finds it on the Failed Messages page, from the app's sidebar, and retries
 * it.
 */
test('a reported failure shows on the page of a fresh app and is retried', async ({
  page,
  request,
}) => {
  const recipient = `+49151${String(Date.now()).slice(-8)}`;
  const reported = await request.post('/api/failed-messages/messages', {
    headers: {
      Authorization: `Bearer ${process.env.FAILED_MESSAGES_INGESTION_TOKEN}`,
    },
    data: {
      externalId: `adopt-${recipient}`,
      recipient,
      templateName: 'order_update',
      payload: {
        type: 'template',
        template: { name: 'order_update', language: { code: 'en' } },
      },
      // "Something went wrong": retryable once a minute has passed.
      error: { code: 131000 },
      failedAt: new Date(Date.now() - 3_600_000).toISOString(),
    },
  });
  expect(reported.status(), await reported.text()).toBe(201);

  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Failed Messages' })
    .click();
  await expect(page).toHaveURL(/\/failed-messages/);

  await page.getByLabel(`Details of the message to ${recipient}`).click();
  await page.getByRole('button', { name: 'Retry now' }).click();
  // The backend took the retry: the attempt is recorded with the sandbox
  // sender's answer, whichever it drew.
  await expect(
    page
      .getByRole('list', { name: 'Retry attempts' })
      .getByRole('listitem')
      .filter({ hasText: /Attempt 1 · Manual · (Succeeded|Failed)/ }),
  ).toContainText('by user:development/guest');
  await expect(page.getByText(/^Retry failed:/)).toHaveCount(0);
});

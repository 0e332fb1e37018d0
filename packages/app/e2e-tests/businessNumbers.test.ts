import { expect, Page, test } from '@playwright/test';
import { guestToken } from './failedMessagesStore';
import { expiredTokenDelivery } from './metaWebhooks';
import { accessibilityViolations, signIn } from './page';

// The numbers of app-config.yaml's two demo accounts.
const SALES_US = '206540352242924';
/** The demo data's number that no account of app-config.yaml lists. */
const NOT_CONFIGURED = '109999000000001';

function messageTable(page: Page) {
  return page.getByRole('table', { name: 'Failed messages' });
}

/** What the Total card counts: the messages of the filters. */
async function total(page: Page): Promise<number> {
  const card = page
    .getByRole('region', { name: 'Summary' })
    .getByRole('button', { name: /^Total: \d+$/ });
  const name = await card.getAttribute('aria-label');
  return Number(name!.split(': ')[1]);
}

test('the list names each message’s business number and narrows to one number', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/failed-messages');
  const table = messageTable(page);
  await expect(
    table.getByRole('columnheader', { name: 'Business number' }),
  ).toBeVisible();
  // The demo failures come from every configured number.
  await expect(
    table.getByRole('cell', { name: 'Support DE', exact: true }).first(),
  ).toBeVisible();
  const everyNumber = await total(page);

  await page.getByRole('button', { name: /Business number/ }).click();
  const options = page.getByRole('option');
  await expect(options).toHaveText(['Support DE', 'Support FR', 'Sales US']);
  await page.getByRole('option', { name: 'Sales US' }).click();
  await page.keyboard.press('Escape');

  await expect(page).toHaveURL(new RegExp(`[?&]phoneNumberId=${SALES_US}`));
  await expect(
    table.getByRole('cell', { name: 'Sales US', exact: true }).first(),
  ).toBeVisible();
  await expect(
    table.getByRole('cell', { name: /^Support (DE|FR)$/ }),
  ).toHaveCount(0);
  await expect.poll(() => total(page)).toBeLessThan(everyNumber);
  expect(await total(page)).toBeGreaterThan(0);

  // The parts this test is about: the number filter and column.
  expect(
    await accessibilityViolations(page, [
      'section[aria-label="Filters"]',
      'section[aria-label="Message list"]',
    ]),
  ).toEqual([]);
});

test('the details name the business number, also one not configured here', async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/failed-messages?phoneNumberId=${SALES_US}`);
  await messageTable(page)
    .getByLabel(/^Details of the message to /)
    .first()
    .click();
  const details = page.getByRole('dialog', { name: /^Message to / });
  await expect(details.getByText(/^Business number:/)).toHaveText(
    /^Business number: Sales US \(/,
  );
  await details.getByRole('button', { name: 'Close details' }).click();

  // The demo data has a few failures from a number no account lists.
  await page.goto(`/failed-messages?phoneNumberId=${NOT_CONFIGURED}`);
  await messageTable(page)
    .getByRole('cell', { name: '+49 30 901820 (not configured)' })
    .first()
    .click();
  await expect(details.getByText(/^Business number:/)).toHaveText(
    'Business number: +49 30 901820, which is not configured here',
  );
  await expect(
    details.getByText(/which is not configured here: it cannot be resent/),
  ).toBeVisible();
});

test('no banner while no account is paused; resuming all then resumes nothing', async ({
  page,
  request,
}) => {
  await signIn(page);
  await page.goto('/failed-messages');
  await expect(messageTable(page)).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Automatic and bulk retries are paused' }),
  ).toHaveCount(0);

  const token = await guestToken(request);
  const resume = await request.post('/api/failed-messages/auto-retry/resume', {
    headers: { Authorization: `Bearer ${token}` },
    data: {},
  });
  expect(resume.status(), await resume.text()).toBe(200);
  expect(await resume.json()).toEqual({ resumed: [], paused: [] });
});

test('an account whose token Meta reports expired is paused in a banner until an admin resumes it', async ({
  page,
  request,
}) => {
  const { body, signature } = expiredTokenDelivery(SALES_US);
  const delivered = await request.post(
    '/api/failed-messages/webhooks/whatsapp',
    {
      headers: {
        'Content-Type': 'application/json',
        'X-Hub-Signature-256': signature,
      },
      data: body,
    },
  );
  expect(delivered.status(), await delivered.text()).toBe(200);

  await signIn(page);
  await page.goto('/failed-messages');
  const banner = page.getByRole('region', {
    name: 'Automatic and bulk retries are paused',
  });
  await expect(banner.getByText(/^Account us-brand since /)).toContainText(
    'error 190',
  );
  expect(
    await accessibilityViolations(page, [
      'section[aria-label="Automatic and bulk retries are paused"]',
    ]),
  ).toEqual([]);

  await banner.getByRole('button', { name: 'Resume account us-brand' }).click();
  await expect(banner).toHaveCount(0);
  const token = await guestToken(request);
  const status = await request.get('/api/failed-messages/auto-retry', {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect((await status.json()).paused).toEqual([]);
});

import { APIRequestContext, expect, Page, test } from '@playwright/test';
import {
  BUSINESS_NUMBERS,
  reportFailures,
  uniqueSuffix,
} from './failedMessagesStore';
import { accessibilityViolations, signIn } from './page';

const REASON = 'Customer reached by phone';

/** Reports a new retryable failure to a recipient of its own; returns the recipient. */
async function reportFailure(request: APIRequestContext): Promise<string> {
  const unique = uniqueSuffix();
  const recipient = `+4916${unique.slice(-9)}`;
  await reportFailures(request, [
    {
      externalId: `browser-tests-dismiss-${unique}`,
      recipient,
      campaign: 'dismiss-reopen',
      code: 130429,
      phoneNumberId: BUSINESS_NUMBERS.supportDe,
    },
  ]);
  return recipient;
}

/** Picks exactly these states in the State filter. */
async function chooseStates(page: Page, states: string[]) {
  await page.getByRole('button', { name: /^State/ }).click();
  const listbox = page.getByRole('listbox');
  for (const state of ['Open', 'Resolved', 'Dismissed']) {
    const option = listbox.getByRole('option', { name: state });
    const selected = (await option.getAttribute('aria-selected')) === 'true';
    if (selected !== states.includes(state)) {
      await option.click();
    }
  }
  await page.keyboard.press('Escape');
  await expect(listbox).toBeHidden();
}

test('an admin dismisses a message with a reason, finds it under Dismissed and reopens it', async ({
  page,
  request,
}) => {
  const recipient = await reportFailure(request);
  await signIn(page);

  // The page opens on open failures, and its cards say so.
  await page.goto(`/failed-messages?q=${encodeURIComponent(recipient)}`);
  await expect(
    page.getByText('Counting open failures that match the filters'),
  ).toBeVisible();
  const row = page
    .getByRole('region', { name: 'Message list' })
    .getByLabel(`Details of the message to ${recipient}`);
  await expect(row).toHaveCount(1);

  await row.click();
  await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Dismiss this failure?' });
  const confirm = dialog.getByRole('button', { name: 'Dismiss' });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Reason' }).fill(REASON);
  expect(await accessibilityViolations(page, '[role="dialog"]')).toEqual([]);
  await confirm.click();
  await expect(dialog).toBeHidden();

  const history = page
    .getByRole('list', { name: 'Retry attempts' })
    .getByRole('listitem');
  await expect(history.last()).toContainText('Dismissed');
  await expect(history.last()).toContainText(`Reason: ${REASON}`);
  await expect(history.last()).toContainText('by user:development/guest');
  await page.getByRole('button', { name: 'Close details' }).click();

  // Gone from the open failures; the state filter finds it.
  await expect(row).toHaveCount(0);
  await expect(
    page.getByText('No failed messages match these filters'),
  ).toBeVisible();
  await chooseStates(page, ['Dismissed']);
  await expect(page).toHaveURL(/[?&]state=dismissed/);
  await expect(
    page.getByText('Counting dismissed failures that match the filters'),
  ).toBeVisible();
  await expect(row).toHaveCount(1);
  expect(await accessibilityViolations(page, 'article')).toEqual([]);

  await row.click();
  await expect(
    page.getByText(new RegExp(`by user:development/guest: ${REASON}`)),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Reopen' }).click();
  await expect(history.last()).toContainText('Reopened');
  await expect(
    page.getByRole('button', { name: 'Dismiss', exact: true }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Close details' }).click();

  // Open again, with its history.
  await chooseStates(page, ['Open']);
  await expect(page).toHaveURL(/[?&]state=open/);
  await expect(row).toHaveCount(1);

  // The dark theme: the caption, the state filter and the dialog stay readable.
  await page.evaluate(() => window.localStorage.setItem('theme', 'dark'));
  await page.reload();
  await expect(row).toHaveCount(1);
  expect(await accessibilityViolations(page, 'article')).toEqual([]);
  await row.click();
  await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
  await dialog.getByRole('textbox', { name: 'Reason' }).fill(REASON);
  expect(await accessibilityViolations(page, '[role="dialog"]')).toEqual([]);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
});

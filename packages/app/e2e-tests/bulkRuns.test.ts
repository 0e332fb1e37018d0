import { APIRequestContext, expect, test } from '@playwright/test';
import { BUSINESS_NUMBERS, reportFailures } from './failedMessagesStore';
import { accessibilityViolations, signIn } from './page';

const MESSAGES = 600;

/** Reports `MESSAGES` retryable failures of a campaign of their own from Sales US; returns it. */
async function reportSlowFailures(request: APIRequestContext): Promise<string> {
  const campaign = `bulk-runs-${Date.now()}`;
  await reportFailures(
    request,
    Array.from({ length: MESSAGES }, (_, i) => ({
      externalId: `${campaign}-${i}`,
      recipient: `+1202555${String(i).padStart(4, '0')}`,
      campaign,
      code: 130429,
      // At 20 sends a second, a run of 600 takes half a minute.
      phoneNumberId: BUSINESS_NUMBERS.salesUs,
    })),
  );
  return campaign;
}

test('an admin reopens a running bulk retry after a reload, watches it, stops it and finds its messages', async ({
  page,
  request,
}) => {
  const campaign = await reportSlowFailures(request);
  const reason = `Browser test ${campaign}`;
  await signIn(page);

  await page.goto(`/failed-messages?campaign=${campaign}`);
  await page
    .getByRole('button', { name: `Retry all matching (${MESSAGES})` })
    .click();
  const dialog = page.getByRole('dialog');
  await expect(
    dialog.getByText(`${MESSAGES} matched, ${MESSAGES} will be retried`),
  ).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Reason' }).fill(reason);
  await dialog
    .getByRole('button', { name: `Retry ${MESSAGES} messages` })
    .click();
  await expect(dialog.getByText(/processed:/)).toBeVisible();

  // A reload loses the dialog, not the run: the list of runs reopens it.
  await page.reload();
  const runs = page.getByRole('table', { name: 'Recent bulk retries' });
  const run = runs.getByRole('row').filter({ hasText: reason });
  await expect(run).toContainText('Running');
  await expect(run).toContainText(`All matching campaign: ${campaign}`);
  await expect(run).toContainText('by guest');
  expect(await accessibilityViolations(page, 'section')).toEqual([]);
  await run
    .getByRole('button', { name: /^Watch the bulk retry started/ })
    .click();

  const watched = page.getByRole('dialog', { name: /^Bulk retry started/ });
  const progress = watched.getByRole('progressbar', {
    name: 'Bulk retry progress',
  });
  const processed = async () =>
    Number(await progress.getAttribute('aria-valuenow'));
  const before = await processed();
  await expect.poll(processed).toBeGreaterThan(before);
  expect(await processed()).toBeLessThan(100);
  await watched.getByRole('button', { name: 'Stop' }).click();
  await expect(watched.getByText(/^Stopped after \d+ of 600/)).toBeVisible();
  await watched.getByRole('button', { name: 'Close' }).click();

  // Stopped, it links to the messages it acted on.
  await expect(run).toContainText('Stopped');
  await run
    .getByRole('link', { name: /^Show the messages of the bulk retry/ })
    .click();
  await expect(page).toHaveURL(/[?&]bulkRetryId=/);
  await expect(
    page.getByText('Showing only the messages of one bulk retry.'),
  ).toBeVisible();
  await expect(
    page.getByRole('button', { name: `Retry all matching (${MESSAGES})` }),
  ).toBeVisible();
});

import { APIRequestContext, expect, test } from '@playwright/test';
import { BUSINESS_NUMBERS, reportFailures } from './failedMessagesStore';
import { expiredTokenDelivery } from './metaWebhooks';
import { accessibilityViolations, signIn } from './page';

/** Enough due failures that the run goes for a few seconds, long enough to watch. */
const DUE_FAILURES = 400;

// A viewer away from the schedule's zone (UTC): the panel names both.
test.use({ timezoneId: 'America/New_York' });

/** Reports rate-limited failures whose automatic retry is due. */
async function reportDueFailures(
  request: APIRequestContext,
  count: number,
  phoneNumberId: string,
) {
  const unique = `${phoneNumberId}-${Date.now()}`;
  await reportFailures(
    request,
    Array.from({ length: count }, (_, index) => ({
      externalId: `browser-tests-auto-run-${unique}-${index}`,
      recipient: `+4917${String(index).padStart(4, '0')}${unique.slice(-5)}`,
      campaign: 'automatic-run',
      code: 130429,
      phoneNumberId,
    })),
  );
}

// playwright.config.ts runs this file after the others: Run now resends
// every due message, the demo messages the other tests pick among them.
// Meta reports by webhook that the token of Sales US's account expired: the
// run leaves that account's messages alone and says so.
test('an admin sees the next run in both zones and a paused account, runs it now, watches it go and finds it among the last runs', async ({
  page,
  request,
}) => {
  await reportDueFailures(request, DUE_FAILURES, BUSINESS_NUMBERS.supportFr);
  await reportDueFailures(request, 5, BUSINESS_NUMBERS.salesUs);
  const { body, signature } = expiredTokenDelivery(BUSINESS_NUMBERS.salesUs);
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
  await expect(banner.getByText(/^Account us-brand since /)).toBeVisible();

  const panel = page.getByRole('region', { name: 'Automatic run' });
  await panel.getByRole('button', { name: /^Automatic run/ }).click();
  // app-config.yaml: every morning at 06:00, in UTC by default.
  await expect(
    panel.getByText(/^Next run .+ your time \(America\/New_York\)\./),
  ).toBeVisible();
  await expect(
    panel.getByText(/The schedule runs in UTC: .+ 6:00 AM there/),
  ).toBeVisible();
  const runs = panel.getByRole('table', { name: 'Last runs' }).getByRole('row');
  const runsBefore = (await runs.count()) && (await runs.count()) - 1;
  expect(
    await accessibilityViolations(page, 'section[aria-label="Automatic run"]'),
  ).toEqual([]);

  await panel.getByRole('button', { name: 'Run now' }).click();

  // Going: its progress, and no second run offered meanwhile.
  const progress = panel.getByRole('progressbar', {
    name: 'Progress of the automatic run',
  });
  await expect(progress).toBeVisible();
  await expect(panel.getByText(/^A run is going since /).first()).toBeVisible();
  await expect(panel.getByText(/^\d+ attempted so far: /)).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Run now' })).toBeDisabled();
  expect(
    await accessibilityViolations(page, 'section[aria-label="Automatic run"]'),
  ).toEqual([]);

  // Finished: the newest of the last runs, with its counts.
  await expect(progress).toBeHidden({ timeout: 60_000 });
  await expect(runs).toHaveCount(Math.min(runsBefore + 1, 10) + 1);
  const newest = runs.nth(1).getByRole('cell');
  await expect(newest.nth(5)).toHaveText(/^Finished /);
  const [attempted, succeeded, failed] = await Promise.all(
    [1, 2, 3].map(async cell => Number(await newest.nth(cell).textContent())),
  );
  expect(attempted).toBeGreaterThanOrEqual(DUE_FAILURES);
  expect(succeeded + failed).toBe(attempted);
  // The paused account's messages were skipped, and why.
  await expect(
    panel.getByText(/Retries from account us-brand are paused/).first(),
  ).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Run now' })).toBeEnabled();

  await banner.getByRole('button', { name: 'Resume account us-brand' }).click();
  await expect(banner).toHaveCount(0);
});

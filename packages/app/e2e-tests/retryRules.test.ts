import { APIRequestContext, expect, Page, test } from '@playwright/test';
import {
  BUSINESS_NUMBERS,
  reportFailures,
  uniqueSuffix,
} from './failedMessagesStore';
import { accessibilityViolations, signIn } from './page';

/** The second backend of playwright.config.ts: there the guest is an agent only. */
const AGENT_BACKEND = 'http://localhost:7078';

/** 131043: the message expired; its rule lets a person resend it at once. */
const EXPIRED_RULE =
  'Nothing must change to reach the customer, but the message must still be worth sending';
/** 131047: outside the 24-hour window; its rule never allows a free-form resend. */
const WINDOW_RULE =
  'The customer must write to the business first: outside the 24-hour window only a template message can reach them';

/**
 * Reports a new Business Logic failure with this code through the service
 * API of the backend at `baseURL`, and returns its id.
 */
async function reportFailure(
  request: APIRequestContext,
  baseURL: string,
  code: number,
): Promise<string> {
  const unique = uniqueSuffix();
  const [id] = await reportFailures(
    request,
    [
      {
        externalId: `browser-tests-rules-${unique}`,
        recipient: `+4917${unique.slice(-9)}`,
        campaign: 'retry-rules',
        code,
        phoneNumberId: BUSINESS_NUMBERS.supportDe,
      },
    ],
    baseURL,
  );
  return id;
}

async function openDetails(page: Page, id: string) {
  await signIn(page);
  await page.goto(`/failed-messages?message=${id}`);
  await expect(
    page.getByRole('button', { name: 'Close details' }),
  ).toBeVisible();
}

function attempts(page: Page) {
  return page
    .getByRole('list', { name: 'Retry attempts' })
    .getByRole('listitem');
}

test.describe('as an agent', () => {
  test.use({ baseURL: AGENT_BACKEND });

  test('an agent retries a Business Logic message whose rule allows it, after a confirmation that repeats the rule', async ({
    page,
    request,
  }) => {
    const id = await reportFailure(request, AGENT_BACKEND, 131043);
    await openDetails(page, id);

    await expect(
      page.getByRole('region', {
        name: 'Before a resend can work',
        exact: true,
      }),
    ).toContainText(EXPIRED_RULE);
    await expect(attempts(page)).toHaveCount(0);

    await page.getByRole('button', { name: 'Retry now' }).click();
    const confirmation = page.getByRole('dialog', {
      name: 'Resend this message?',
    });
    await expect(confirmation).toContainText(EXPIRED_RULE);
    expect(
      await accessibilityViolations(
        page,
        '[aria-labelledby="failed-messages-confirm-rule"]',
      ),
    ).toEqual([]);
    await confirmation.getByRole('button', { name: 'Resend' }).click();
    await expect(confirmation).toBeHidden();

    await expect(attempts(page)).toHaveCount(1);
    await expect(attempts(page).first()).toContainText(
      'by user:development/guest',
    );
  });

  test('an agent sees why a Business Logic message may not be resent, and no Force, in the dark theme', async ({
    page,
    request,
  }) => {
    const id = await reportFailure(request, AGENT_BACKEND, 131047);
    // What Settings → Appearance → Dark stores.
    await page.addInitScript(() =>
      window.localStorage.setItem('theme', 'dark'),
    );
    await openDetails(page, id);

    const retrySection = page.getByRole('region', {
      name: 'Retry',
      exact: true,
    });
    await expect(retrySection).toContainText(WINDOW_RULE);
    await expect(retrySection).toContainText('must be forced');
    await expect(
      page.getByRole('button', { name: 'Retry now' }),
    ).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Force retry' })).toHaveCount(
      0,
    );

    expect(await accessibilityViolations(page, '[role="dialog"]')).toEqual([]);
  });
});

test('an admin forces the retry of a Business Logic message with a reason', async ({
  page,
  request,
  baseURL,
}) => {
  const id = await reportFailure(request, baseURL!, 131047);
  await openDetails(page, id);
  await expect(
    page.getByRole('region', {
      name: 'Before a resend can work',
      exact: true,
    }),
  ).toContainText(WINDOW_RULE);

  await page.getByRole('button', { name: 'Force retry' }).click();
  const confirmation = page.getByRole('dialog', { name: 'Force this retry?' });
  await expect(confirmation).toContainText(WINDOW_RULE);
  const retryAnyway = confirmation.getByRole('button', {
    name: 'Retry anyway',
  });
  await expect(retryAnyway).toBeDisabled();
  await confirmation
    .getByRole('textbox', { name: 'Reason' })
    .fill('The customer wrote to us this morning');
  await retryAnyway.click();
  await expect(confirmation).toBeHidden();

  await expect(attempts(page)).toHaveCount(1);
  await expect(attempts(page).first()).toContainText(
    'by user:development/guest',
  );
});

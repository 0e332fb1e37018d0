import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, Locator, Page, test } from '@playwright/test';
import { signIn } from './page';

/**
 * The pictures of docs/user-guide.md that no other browser test takes. The
 * test only looks: every dialog it opens it cancels, so the data the other
 * tests count stays as it was.
 */
const SCREENSHOTS = resolve(__dirname, '../../../docs/screenshots');

/** A box in page coordinates, as a full-page screenshot shows it. */
interface Area {
  number: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where `locators` lie on the page, as one box around all of them. */
async function areaOf(number: number, locators: Locator[]): Promise<Area> {
  const boxes = await Promise.all(
    locators.map(locator =>
      locator.evaluate(element => {
        const rect = element.getBoundingClientRect();
        return {
          left: rect.left + window.scrollX,
          top: rect.top + window.scrollY,
          right: rect.right + window.scrollX,
          bottom: rect.bottom + window.scrollY,
        };
      }),
    ),
  );
  const left = Math.min(...boxes.map(box => box.left));
  const top = Math.min(...boxes.map(box => box.top));
  const right = Math.max(...boxes.map(box => box.right));
  const bottom = Math.max(...boxes.map(box => box.bottom));
  return { number, x: left, y: top, width: right - left, height: bottom - top };
}

/** Draws an outline and a numbered badge over each area, above everything else. */
async function annotate(page: Page, areas: Area[]) {
  await page.evaluate(shown => {
    for (const area of shown) {
      const outline = document.createElement('div');
      outline.dataset.userGuideAnnotation = String(area.number);
      Object.assign(outline.style, {
        position: 'absolute',
        left: `${area.x - 4}px`,
        top: `${area.y - 4}px`,
        width: `${area.width + 8}px`,
        height: `${area.height + 8}px`,
        border: '3px solid #c2185b',
        borderRadius: '6px',
        boxSizing: 'border-box',
        pointerEvents: 'none',
        zIndex: '5000',
      });
      const badge = document.createElement('div');
      badge.textContent = String(area.number);
      Object.assign(badge.style, {
        position: 'absolute',
        left: '-16px',
        top: '-16px',
        width: '30px',
        height: '30px',
        borderRadius: '50%',
        background: '#c2185b',
        color: '#ffffff',
        font: 'bold 17px/30px sans-serif',
        textAlign: 'center',
        boxShadow: '0 1px 4px rgba(0, 0, 0, 0.5)',
      });
      outline.appendChild(badge);
      document.body.appendChild(outline);
    }
  }, areas);
}

test('the user guide pictures: the page layout numbered, the automatic run, a bulk preview and a forced retry', async ({
  page,
}) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await signIn(page);
  // The recent bulk retries show once there is one: the picture waits for the list.
  const bulkRetriesListed = page.waitForResponse(
    response =>
      response.request().method() === 'GET' &&
      new URL(response.url()).pathname === '/api/failed-messages/bulk-retries',
  );
  await page.goto('/failed-messages');
  const list = page.getByRole('region', { name: 'Message list', exact: true });
  await expect(
    list.getByLabel(/^Details of the message to /).first(),
  ).toBeVisible();
  const { items: bulkRetries } = await (await bulkRetriesListed).json();

  const panel = page.getByRole('region', {
    name: 'Automatic run',
    exact: true,
  });
  await panel.getByRole('button', { name: /^Automatic run/ }).click();
  await expect(panel.getByRole('button', { name: 'Run now' })).toBeVisible();
  await page.mouse.move(1400, 0);
  await panel.screenshot({ path: `${SCREENSHOTS}/automatic-run-panel.png` });

  // The numbers of the legend in docs/user-guide.md, top to bottom.
  const bulkRetry = [page.getByRole('toolbar', { name: 'Bulk retry' })];
  const recentBulkRetries = page.getByRole('region', {
    name: 'Recent bulk retries',
  });
  if (bulkRetries.length > 0) {
    await expect(recentBulkRetries).toBeVisible();
    bulkRetry.push(recentBulkRetries);
  }
  const exportCsv = page.getByRole('button', { name: 'Export CSV' });
  const areas = [
    await areaOf(1, [
      page.getByRole('tablist', { name: 'Failed messages views' }),
    ]),
    await areaOf(2, [panel]),
    await areaOf(3, [
      page.getByRole('region', { name: 'Summary', exact: true }),
    ]),
    await areaOf(4, [
      page.getByRole('region', { name: 'Filters', exact: true }),
    ]),
    await areaOf(5, [exportCsv.locator('xpath=..')]),
    await areaOf(6, bulkRetry),
    await areaOf(7, [list]),
  ];
  await annotate(page, areas);
  await page.screenshot({
    path: `${SCREENSHOTS}/page-layout-annotated.png`,
    fullPage: true,
  });
  await page.evaluate(() =>
    document
      .querySelectorAll('[data-user-guide-annotation]')
      .forEach(annotation => annotation.remove()),
  );

  // The preview of Retry all matching, cancelled.
  await page
    .getByRole('button', { name: /^Retry all matching \(\d+\)$/ })
    .click();
  const preview = page.getByRole('dialog', {
    name: 'Retry all matching messages',
  });
  await expect(
    preview.getByText(/^\d+ matched, \d+ will be retried$/),
  ).toBeVisible();
  await preview.screenshot({ path: `${SCREENSHOTS}/bulk-retry-preview.png` });
  await preview.getByRole('button', { name: 'Cancel' }).click();
  await expect(preview).toBeHidden();

  // 131047 (outside the 24-hour window): its rule allows only a forced retry.
  await page.goto(
    '/failed-messages?errorCode=131047&retryStatus=never-retried',
  );
  await list
    .getByLabel(/^Details of the message to /)
    .first()
    .click();
  await page.getByRole('button', { name: 'Force retry' }).click();
  const confirmation = page.getByRole('dialog', { name: 'Force this retry?' });
  await expect(
    confirmation.getByRole('button', { name: 'Retry anyway' }),
  ).toBeDisabled();
  await confirmation.screenshot({
    path: `${SCREENSHOTS}/force-retry-confirmation.png`,
  });
  await confirmation.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirmation).toBeHidden();
});

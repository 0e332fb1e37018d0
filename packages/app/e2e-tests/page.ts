import AxeBuilder from '@axe-core/playwright';
import { expect, Page } from '@playwright/test';

/** Signs in as the guest of the backend the page is served by. */
export async function signIn(page: Page) {
  await page.goto('/catalog');
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click();
  await expect(enter).toBeHidden();
}

/**
 * What axe finds against WCAG 2 A and AA inside the selectors (the whole
 * page without any), one line each with what to fix.
 */
export async function accessibilityViolations(
  page: Page,
  selectors: string | string[] = [],
) {
  let axe = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']);
  for (const selector of ([] as string[]).concat(selectors)) {
    axe = axe.include(selector);
  }
  const results = await axe.analyze();
  return results.violations.flatMap(violation =>
    violation.nodes.map(
      node =>
        `${violation.id} at ${node.target.join(' ')}: ${node.failureSummary}`,
    ),
  );
}

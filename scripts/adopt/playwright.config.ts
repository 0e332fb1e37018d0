import { defineConfig } from '@playwright/test';

/**
 * The adopter's browser test (scripts/adopt.sh), copied into the fresh app
 * and run with its Playwright against its backend, which serves the built
 * frontend on ADOPT_APP_URL, in the Chromium of CHROMIUM_PATH.
 */
export default defineConfig({
  testDir: '.',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.ADOPT_APP_URL,
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: process.env.CHROMIUM_PATH },
    actionTimeout: 30_000,
    screenshot: 'only-on-failure',
  },
  outputDir: 'results',
});

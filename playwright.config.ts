import { execFileSync } from 'node:child_process';
import { defineConfig, devices } from '@playwright/test';
import { generateProjects } from '@backstage/e2e-test-utils/playwright';

/** The backend of app-config.e2e.yaml, which also serves the built app. */
const E2E_BACKEND = 'http://localhost:7077';

/**
 * Playwright cannot download browsers on our machines: the tests drive the
 * Chromium of the operating system (Debian's `chromium` package) unless
 * CHROMIUM_PATH names another one.
 */
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) {
    return process.env.CHROMIUM_PATH;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    throw new Error(
      'No Chromium found: install it (apt-get install -y chromium) or set CHROMIUM_PATH',
    );
  }
}

/**
 * Browser tests against the production build of the app (`yarn workspace app
 * build`), served by the backend with app-config.e2e.yaml. scripts/e2e.sh
 * builds the app and runs them; see https://playwright.dev/docs/test-configuration.
 */
export default defineConfig({
  timeout: 120_000,
  expect: { timeout: 30_000 },
  // One backend with one in-memory database: the tests run one after another.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],

  // The backend from its sources as `yarn start` runs it (in development
  // mode, for the guest sign-in), but without the file watcher, whose
  // restarts would empty the in-memory database. Its log goes to
  // node_modules/.cache/e2e-backend.log.
  webServer: {
    command:
      'mkdir -p ../../node_modules/.cache && exec node --require ../../node_modules/@backstage/cli/config/nodeTransform.cjs src/index.ts --config ../../app-config.yaml --config ../../app-config.e2e.yaml > ../../node_modules/.cache/e2e-backend.log 2>&1',
    cwd: 'packages/backend',
    env: { NODE_ENV: 'development' },
    url: `${E2E_BACKEND}/.backstage/health/v1/readiness`,
    reuseExistingServer: !process.env.CI,
    timeout: 240_000,
  },

  use: {
    ...devices['Desktop Chrome'],
    baseURL: E2E_BACKEND,
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: chromiumPath() },
    actionTimeout: 30_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },

  outputDir: 'node_modules/.cache/e2e-test-results',

  // Every package with an e2e-tests folder, in the Chromium above.
  projects: (generateProjects() ?? []).map(project => ({
    ...project,
    use: { ...project.use, channel: undefined },
  })),
});

import { execFileSync } from 'node:child_process';
import { defineConfig, devices } from '@playwright/test';
import { generateProjects } from '@backstage/e2e-test-utils/playwright';

/** The backend of app-config.e2e.yaml, which also serves the built app. */
const E2E_BACKEND = 'http://localhost:7077';

/**
 * The backend as `yarn start` runs it (in development mode, for the guest
 * sign-in), but without the file watcher, whose restarts would empty the
 * in-memory database; with app-config.yaml, app-config.e2e.yaml and
 * `extraConfig`, its log in node_modules/.cache/`log`.
 */
function backend(url: string, log: string, extraConfig: string[] = []) {
  const configs = ['app-config.yaml', 'app-config.e2e.yaml', ...extraConfig]
    .map(file => `--config ../../${file}`)
    .join(' ');
  return {
    command: `mkdir -p ../../node_modules/.cache && exec node --require ../../node_modules/@backstage/cli/config/nodeTransform.cjs src/index.ts ${configs} > ../../node_modules/.cache/${log} 2>&1`,
    cwd: 'packages/backend',
    env: { NODE_ENV: 'development' },
    url: `${url}/.backstage/health/v1/readiness`,
    reuseExistingServer: !process.env.CI,
    timeout: 240_000,
  };
}

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

  // The guest is an admin on the first backend and an agent on the second
  // (AGENT_BACKEND in the tests); both serve the same production build,
  // into which the backend injects its own app config.
  webServer: [
    backend(E2E_BACKEND, 'e2e-backend.log'),
    backend('http://localhost:7078', 'e2e-agent-backend.log', [
      'app-config.e2e-agent.yaml',
    ]),
  ],

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

import { execFileSync } from 'node:child_process';
import { defineConfig, devices } from '@playwright/test';
import { generateProjects } from '@backstage/e2e-test-utils/playwright';

/** Browser tests that change what the others look at, run after them. */
const RUN_LAST = /autoRetryPanel\.test\.ts$/;

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
 * The production config's sign-in through OpenID Connect (oidcSignIn.test.ts):
 * a local OpenID provider, and a backend with app-config.production.yaml and
 * NODE_ENV=production whose variables point it at that provider
 * (app-config.e2e-oidc.yaml).
 */
function oidcSignInServers() {
  return [
    {
      command:
        'mkdir -p ../../node_modules/.cache && exec node e2e-tests/oidcProvider.ts > ../../node_modules/.cache/e2e-oidc-provider.log 2>&1',
      cwd: 'packages/app',
      url: 'http://localhost:7090/.well-known/openid-configuration',
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    },
    {
      ...backend('http://localhost:7079', 'e2e-oidc-backend.log', [
        'app-config.production.yaml',
        'app-config.e2e-oidc.yaml',
      ]),
      env: {
        NODE_ENV: 'production',
        OIDC_METADATA_URL:
          'http://localhost:7090/.well-known/openid-configuration',
        OIDC_CLIENT_ID: 'failed-messages-e2e',
        OIDC_CLIENT_SECRET: 'failed-messages-e2e-secret',
        AUTH_SESSION_SECRET: 'browser-tests-session-secret',
        FAILED_MESSAGES_INGESTION_TOKEN: 'browser-tests-ingestion-token',
        WHATSAPP_APP_SECRET: 'browser-tests-app-secret',
        WHATSAPP_VERIFY_TOKEN: 'browser-tests-verify-token',
      },
    },
  ];
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
    // scripts/e2e.sh repeats the failures from it after the backends' logs.
    ['json', { outputFile: 'node_modules/.cache/e2e-results.json' }],
  ],

  // The guest is an admin on the first backend and an agent on the second
  // (AGENT_BACKEND in the tests); both serve the same production build,
  // into which the backend injects its own app config.
  webServer: [
    backend(E2E_BACKEND, 'e2e-backend.log'),
    backend('http://localhost:7078', 'e2e-agent-backend.log', [
      'app-config.e2e-agent.yaml',
    ]),
    ...oidcSignInServers(),
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

  // Every package with an e2e-tests folder, in the Chromium above. The
  // app's tests that run the automatic retry over the whole store go last
  // (a teardown runs whether the others passed or not): the run resends the
  // demo messages the other tests pick.
  projects: (generateProjects() ?? []).flatMap(project => {
    const inChromium = {
      ...project,
      use: { ...project.use, channel: undefined },
    };
    return project.name === 'app'
      ? [
          { ...inChromium, testIgnore: RUN_LAST, teardown: 'app-last' },
          { ...inChromium, name: 'app-last', testMatch: RUN_LAST },
        ]
      : [inChromium];
  }),
});

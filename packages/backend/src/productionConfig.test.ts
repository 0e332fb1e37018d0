import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import failedMessagesPlugin from '@msgops/plugin-failed-messages-backend';
import authPlugin from '@backstage/plugin-auth-backend';
import guestProviderModule from '@backstage/plugin-auth-backend-module-guest-provider';
import oidcProviderModule from '@backstage/plugin-auth-backend-module-oidc-provider';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import oidcSessionSecretModule from './oidcSessionSecret';
import request from 'supertest';

// The auth backend keeps OpenID Connect sessions in a connect-session-knex
// store, which deletes expired sessions a minute after it starts and every
// minute after, on a timer that outlives the test backend: run against the
// stopped backend's closed database, that query failed whichever test of
// this Jest worker was running then. Sessions are not what these tests
// check, so the stores here skip the clean-up.
jest.mock('connect-session-knex', () => {
  const createStore = jest.requireActual('connect-session-knex');
  return (session: unknown) => {
    const KnexStore = createStore(session);
    return function TestKnexStore(options: object) {
      return new KnexStore({ ...options, disableDbCleanup: true });
    };
  };
});

/**
 * The failed-messages plugin on the production config as it is deployed:
 * app-config.yaml under app-config.production.yaml, read by Backstage's
 * config loader with the environment's variables (NODE_ENV is not
 * development here). The database is SQLite in place of its PostgreSQL.
 */
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const ARGV = [
  'node',
  'packages/backend',
  ...['app-config.yaml', 'app-config.production.yaml'].flatMap(file => [
    '--config',
    resolve(__dirname, '../../..', file),
  ]),
];

const PRODUCTION_ENV: Record<string, string | undefined> = {
  WHATSAPP_WABA_ID: '102290129340398',
  WHATSAPP_PHONE_NUMBER_ID: '1234567890',
  WHATSAPP_ACCESS_TOKEN: 'an-access-token',
  WHATSAPP_APP_SECRET: 'the-production-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'the-production-verify-token',
  // Set to the issuer of beforeAll.
  OIDC_METADATA_URL: undefined,
  OIDC_CLIENT_ID: 'failed-messages-portal',
  OIDC_CLIENT_SECRET: 'an-oidc-client-secret',
  AUTH_SESSION_SECRET: 'a-session-secret',
};

/** The sign-in page's providers, as the app-backend gives the app its config. */
let signInProviders: string[] | undefined;
const readSignInProviders = createBackendPlugin({
  pluginId: 'sign-in-providers',
  register(env) {
    env.registerInit({
      deps: { config: coreServices.rootConfig },
      async init({ config }) {
        signInProviders = config.getOptionalStringArray('app.signInProviders');
      },
    });
  },
});

async function startWithEnvironment(
  env: Record<string, string | undefined>,
  withSignIn = false,
) {
  const saved = Object.fromEntries(
    Object.keys(env).map(name => [name, process.env[name]]),
  );
  const assign = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
  };
  assign(env);
  try {
    return await startTestBackend({
      features: [
        ...(withSignIn
          ? [
              authPlugin,
              guestProviderModule,
              readSignInProviders,
              oidcProviderModule,
              oidcSessionSecretModule,
              catalogServiceMock.factory(),
            ]
          : [failedMessagesPlugin]),
        rootConfigServiceFactory({ argv: ARGV, watch: false }),
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
      ],
    });
  } finally {
    assign(saved);
  }
}

/**
 * An OpenID provider's discovery document, all the backend reads of it
 * before a sign-in goes to the provider.
 */
function startIssuer(): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    const url = `http://localhost:${(server.address() as AddressInfo).port}`;
    res.setHeader('Content-Type', 'application/json');
    res.end(
      JSON.stringify({
        issuer: url,
        authorization_endpoint: `${url}/auth`,
        token_endpoint: `${url}/token`,
        userinfo_endpoint: `${url}/me`,
        jwks_uri: `${url}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      }),
    );
  });
  return new Promise(done =>
    server.listen(0, () =>
      done({
        server,
        url: `http://localhost:${(server.address() as AddressInfo).port}`,
      }),
    ),
  );
}

describe('the production config', () => {
  let issuer: { server: Server; url: string };
  beforeAll(async () => {
    issuer = await startIssuer();
    PRODUCTION_ENV.OIDC_METADATA_URL = `${issuer.url}/.well-known/openid-configuration`;
  });
  afterAll(() => issuer.server.close());

  it('starts with every WhatsApp variable set, and takes only its own verify token', async () => {
    const backend = await startWithEnvironment(PRODUCTION_ENV);
    const handshake = (verifyToken: string) =>
      request(backend.server)
        .get('/api/failed-messages/webhooks/whatsapp')
        .query({
          'hub.mode': 'subscribe',
          'hub.verify_token': verifyToken,
          'hub.challenge': '1158201444',
        });
    expect((await handshake('the-production-verify-token')).status).toBe(200);
    expect((await handshake('development-verify-token')).status).toBe(403);
    await backend.stop();
  });

  it.each([
    ['WHATSAPP_APP_SECRET', 'appSecret'],
    ['WHATSAPP_VERIFY_TOKEN', 'verifyToken'],
  ])(
    'refuses to start without %s, naming failedMessages.whatsapp.%s',
    async (variable, key) => {
      await expect(
        startWithEnvironment({ ...PRODUCTION_ENV, [variable]: undefined }),
      ).rejects.toThrow(
        `Missing required config value failedMessages.whatsapp.${key}`,
      );
    },
  );

  it.each([
    ['WHATSAPP_APP_SECRET', 'appSecret', 'development-app-secret'],
    ['WHATSAPP_VERIFY_TOKEN', 'verifyToken', 'development-verify-token'],
  ])(
    'refuses to start with %s set to the development value',
    async (variable, key, value) => {
      await expect(
        startWithEnvironment({ ...PRODUCTION_ENV, [variable]: value }),
      ).rejects.toThrow(
        `Invalid config value failedMessages.whatsapp.${key}: it equals a development secret from failedMessages.developmentWebhookSecrets`,
      );
    },
  );

  it.each([
    ['WHATSAPP_WABA_ID', 'accounts[0].wabaId'],
    ['WHATSAPP_PHONE_NUMBER_ID', 'accounts[0].numbers[0].phoneNumberId'],
    ['WHATSAPP_ACCESS_TOKEN', 'accounts[0].accessToken'],
  ])(
    'refuses to start without %s, naming failedMessages.whatsapp.%s',
    async (variable, key) => {
      await expect(
        startWithEnvironment({ ...PRODUCTION_ENV, [variable]: undefined }),
      ).rejects.toThrow(
        `Missing required config value failedMessages.whatsapp.${key}`,
      );
    },
  );

  it('signs users in through OpenID Connect only: the sign-in page offers no guest, and the guest signs no one in', async () => {
    const backend = await startWithEnvironment(PRODUCTION_ENV, true);
    // The sign-in page offers the OpenID Connect provider, not the guest.
    expect(signInProviders).toEqual(['oidc']);
    const guest = await request(backend.server)
      .get('/api/auth/guest/refresh')
      .set('X-Requested-With', 'XMLHttpRequest');
    expect(guest.status).toBe(403);
    expect(guest.body.error.message).toContain(
      'The guest provider cannot be used outside of a development environment',
    );
    // A sign-in goes to the provider's own login page (no prompt=none), and
    // comes back to this backend.
    const oidcStart = await request(backend.server)
      .get('/api/auth/oidc/start')
      .query({ env: 'production', scope: 'openid profile email' });
    expect(oidcStart.status).toBe(302);
    const authorization = new URL(oidcStart.headers.location);
    expect(`${authorization.origin}${authorization.pathname}`).toBe(
      `${issuer.url}/auth`,
    );
    expect(authorization.searchParams.get('client_id')).toBe(
      'failed-messages-portal',
    );
    const { port } = backend.server.address() as AddressInfo;
    expect(authorization.searchParams.get('redirect_uri')).toBe(
      `http://localhost:${port}/api/auth/oidc/handler/frame`,
    );
    expect(authorization.searchParams.has('prompt')).toBe(false);
    await backend.stop();
  });

  it('refuses to start without AUTH_SESSION_SECRET, naming auth.session.secret', async () => {
    await expect(
      startWithEnvironment(
        { ...PRODUCTION_ENV, AUTH_SESSION_SECRET: undefined },
        true,
      ),
    ).rejects.toThrow("Missing required config value at 'auth.session.secret'");
  });

  it.each([
    ['OIDC_METADATA_URL', 'metadataUrl'],
    ['OIDC_CLIENT_ID', 'clientId'],
    ['OIDC_CLIENT_SECRET', 'clientSecret'],
  ])(
    'refuses to start without %s, naming auth.providers.oidc.production.%s',
    async (variable, key) => {
      await expect(
        startWithEnvironment(
          { ...PRODUCTION_ENV, [variable]: undefined },
          true,
        ),
      ).rejects.toThrow(
        `Failed to initialize oidc auth provider, Missing required config value at 'auth.providers.oidc.production.${key}'`,
      );
    },
  );
});

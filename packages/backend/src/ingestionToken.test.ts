import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import failedMessagesPlugin from '@msgops/plugin-failed-messages-backend';
import request from 'supertest';
import { parse } from 'yaml';

/**
 * The ingestion token as app-config.production.yaml and app-config.e2e.yaml
 * declare it (`backend.auth.externalAccess` with `accessRestrictions`),
 * checked by Backstage's own auth, HTTP auth and permissions services.
 */
const BASE = '/api/failed-messages';
const OTHER_PLUGIN_BASE = '/api/other';
const INGESTION_TOKEN = 'ingestion-token-for-tests';
/** An unrestricted service token: what the restriction takes away. */
const SERVICE_TOKEN = 'unrestricted-token-for-tests';

const report = {
  recipient: '+16505551234',
  payload: { messaging_product: 'whatsapp', to: '+16505551234' },
  error: { code: 130429 },
  failedAt: '2026-01-01T00:00:00Z',
};

/** Another plugin with a route that service tokens may call. */
const otherPlugin = createBackendPlugin({
  pluginId: 'other',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        httpRouter.use((_req, res) => res.json({}));
      },
    });
  },
});

/** The file's one static token, with a known token in place of its value. */
function ingestionTokenOf(file: string) {
  const config = parse(
    readFileSync(resolve(__dirname, '../../..', file), 'utf8'),
  );
  const [entry] = config.backend.auth.externalAccess;
  return { ...entry, options: { ...entry.options, token: INGESTION_TOKEN } };
}

describe.each(['app-config.production.yaml', 'app-config.e2e.yaml'])(
  'the ingestion token of %s',
  file => {
    let server: any;
    beforeAll(async () => {
      ({ server } = await startTestBackend({
        features: [
          failedMessagesPlugin,
          otherPlugin,
          authServiceFactory,
          httpAuthServiceFactory,
          permissionsServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              backend: {
                auth: {
                  externalAccess: [
                    ingestionTokenOf(file),
                    {
                      type: 'static',
                      options: { token: SERVICE_TOKEN, subject: 'a-service' },
                    },
                  ],
                },
              },
              permission: { enabled: true },
              failedMessages: { sender: 'sandbox' },
            },
          }),
        ],
      }));
    });

    const post = (path: string, token: string, body: object, base = BASE) =>
      request(server)
        .post(`${base}${path}`)
        .set('Authorization', `Bearer ${token}`)
        .send(body);

    it('is refused by every other plugin', async () => {
      const allowed = await post('/', SERVICE_TOKEN, {}, OTHER_PLUGIN_BASE);
      expect(allowed.status).toBe(200);

      const refused = await post('/', INGESTION_TOKEN, {}, OTHER_PLUGIN_BASE);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain(
        "restricted to plugin(s) 'failed-messages'",
      );
    });

    it('reports failures', async () => {
      const res = await post('/messages', INGESTION_TOKEN, report);
      expect(res.status).toBe(201);
    });

    it('gets 403 on POST /bulk-retries, which a service token may use', async () => {
      const preview = { filter: {}, dryRun: true };
      const allowed = await post('/bulk-retries', SERVICE_TOKEN, preview);
      expect(allowed.status).toBe(200);

      const refused = await post('/bulk-retries', INGESTION_TOKEN, preview);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain(
        'failed-messages.message.bulk-retry',
      );
    });

    it('cannot read the failures it reported', async () => {
      const res = await request(server)
        .get(`${BASE}/messages`)
        .set('Authorization', `Bearer ${INGESTION_TOKEN}`);
      expect(res.status).toBe(403);
    });
  },
);

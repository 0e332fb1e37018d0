import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import permissionPlugin from '@backstage/plugin-permission-backend';
import failedMessagesPlugin from '@msgops/plugin-failed-messages-backend';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import failedMessagesRolePolicy from '@msgops/plugin-permission-backend-module-failed-messages-policy';

/**
 * Every failed-messages route against every kind of caller, through the real
 * permission backend and the portal's role policy.
 */
const ROLES = {
  admin: ['user:default/ada-admin'],
  manager: ['user:default/max-manager'],
  agent: ['user:default/alex-agent'],
};

const CALLERS = {
  admin: mockCredentials.user.header('user:default/ada-admin'),
  manager: mockCredentials.user.header('user:default/max-manager'),
  agent: mockCredentials.user.header('user:default/alex-agent'),
  'no role': mockCredentials.user.header('user:default/nora-norole'),
  anonymous: mockCredentials.none.header(),
  service: mockCredentials.service.header(),
};
type Caller = keyof typeof CALLERS;

/** A new failure each time: a report sent again would return the first. */
const report = () => ({
  externalId: `wamid.${randomUUID()}`,
  recipient: '+16505551234',
  payload: { messaging_product: 'whatsapp', to: '+16505551234' },
  error: { code: 130429 },
  failedAt: '2026-01-01T00:00:00Z',
});

interface Route {
  name: string;
  /** The permission the route checks, named in its 403 answers. */
  permission?: string;
  /** A permission named instead of `permission` in some callers' 403. */
  missingPermission?: Partial<Record<Caller, string>>;
  call: (server: any, auth: string, id: string) => request.Test;
  /** Status code for each caller; `ok` is the route's success status. */
  expected: Record<Caller, number>;
}

const readers = (ok: number): Record<Caller, number> => ({
  admin: ok,
  manager: ok,
  agent: ok,
  'no role': 403,
  anonymous: 401,
  service: ok,
});

const BASE = '/api/failed-messages';

const bulkRetriers = (ok: number): Record<Caller, number> => ({
  admin: ok,
  manager: 403,
  agent: 403,
  'no role': 403,
  anonymous: 401,
  service: ok,
});

/** A GET of a read route; `:id` stands for a stored message. */
const readRoute = (path: string): Route => ({
  name: `GET ${path}`,
  call: (s, auth, id) =>
    request(s)
      .get(`${BASE}${path.replace(':id', id)}`)
      .set('Authorization', auth),
  permission: 'failed-messages.message.read',
  expected: readers(200),
});

/** Reports a fresh failure, then retries it with this body. */
const retryNew =
  (body: object): Route['call'] =>
  (s, auth) =>
    request(s)
      .post(`${BASE}/messages`)
      .set('Authorization', CALLERS.service)
      .send(report())
      .then(created =>
        request(s)
          .post(`${BASE}/messages/${created.body.id}/retry`)
          .set('Authorization', auth)
          .send(body),
      ) as unknown as request.Test;

const ROUTES: Route[] = [
  readRoute('/messages'),
  readRoute('/summary'),
  readRoute('/export/messages.csv'),
  readRoute('/messages/:id'),
  readRoute('/error-codes'),
  readRoute('/auto-retry'),
  {
    name: 'POST /messages/:id/retry',
    call: retryNew({}),
    permission: 'failed-messages.message.retry',
    expected: {
      admin: 200,
      manager: 403,
      agent: 200,
      'no role': 403,
      anonymous: 401,
      service: 200,
    },
  },
  {
    name: 'POST /messages/:id/retry (force)',
    call: retryNew({ force: true, reason: 'customer asked' }),
    permission: 'failed-messages.message.retry',
    missingPermission: { agent: 'failed-messages.message.force-retry' },
    expected: {
      admin: 200,
      manager: 403,
      agent: 403,
      'no role': 403,
      anonymous: 401,
      service: 200,
    },
  },
  {
    // Allowed callers get 409: a new failure's outcome is not unknown.
    name: 'POST /messages/:id/settle',
    call: (s, auth, id) =>
      request(s)
        .post(`${BASE}/messages/${id}/settle`)
        .set('Authorization', auth)
        .send({ outcome: 'failed', reason: 'Not in the message log' }),
    permission: 'failed-messages.message.force-retry',
    // Only a person settles by hand.
    missingPermission: { service: 'service' },
    expected: {
      admin: 409,
      manager: 403,
      agent: 403,
      'no role': 403,
      anonymous: 401,
      service: 403,
    },
  },
  {
    name: 'GET /statistics',
    call: (s, auth) =>
      request(s).get(`${BASE}/statistics`).set('Authorization', auth),
    permission: 'failed-messages.statistics.read',
    expected: {
      admin: 200,
      manager: 200,
      agent: 403,
      'no role': 403,
      anonymous: 401,
      service: 200,
    },
  },
  {
    name: 'POST /bulk-retries (dry run)',
    call: (s, auth) =>
      request(s)
        .post(`${BASE}/bulk-retries`)
        .set('Authorization', auth)
        .send({ filter: {}, dryRun: true }),
    permission: 'failed-messages.message.bulk-retry',
    expected: bulkRetriers(200),
  },
  {
    name: 'GET /bulk-retries/:id (unknown id)',
    call: (s, auth) =>
      request(s).get(`${BASE}/bulk-retries/unknown`).set('Authorization', auth),
    permission: 'failed-messages.message.bulk-retry',
    expected: bulkRetriers(404),
  },
  {
    name: 'POST /auto-retry/run',
    call: (s, auth) =>
      request(s).post(`${BASE}/auto-retry/run`).set('Authorization', auth),
    permission: 'failed-messages.message.bulk-retry',
    expected: bulkRetriers(202),
  },
  {
    name: 'POST /messages',
    call: (s, auth) =>
      request(s)
        .post(`${BASE}/messages`)
        .set('Authorization', auth)
        .send(report()),
    expected: {
      admin: 403,
      manager: 403,
      agent: 403,
      'no role': 403,
      anonymous: 401,
      service: 201,
    },
  },
  {
    name: 'GET /health',
    call: (s, auth) =>
      request(s).get(`${BASE}/health`).set('Authorization', auth),
    expected: {
      admin: 200,
      manager: 200,
      agent: 200,
      'no role': 200,
      anonymous: 200,
      service: 200,
    },
  },
];

describe('failed-messages permission matrix', () => {
  let server: any;
  let messageId: string;

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        failedMessagesPlugin,
        permissionPlugin,
        failedMessagesRolePolicy,
        permissionsServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            failedMessages: { roles: ROLES, sender: 'sandbox' },
          },
        }),
      ],
    }));
    const created = await request(server)
      .post(`${BASE}/messages`)
      .set('Authorization', CALLERS.service)
      .send(report());
    messageId = created.body.id;
  });

  const cases = ROUTES.flatMap(route =>
    (Object.keys(CALLERS) as Caller[]).map(
      caller => [route.name, caller, route.expected[caller], route] as const,
    ),
  );

  it.each(cases)('%s as %s answers %i', async (_, caller, status, route) => {
    const res = await route.call(server, CALLERS[caller], messageId);
    expect(res.status).toBe(status);
    // A denial names the permission that was missing.
    const missing =
      status === 403
        ? route.missingPermission?.[caller] ?? route.permission ?? ''
        : '';
    expect(res.body.error?.message ?? '').toContain(missing);
  });
});

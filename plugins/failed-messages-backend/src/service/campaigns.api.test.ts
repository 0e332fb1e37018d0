import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  startFailedMessagesBackend,
  useFailedMessagesBackend,
} from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const USER = mockCredentials.user.header('user:default/ada-admin');

describe.each(databases.eachSupportedId())(
  'GET /campaigns on %s',
  databaseId => {
    const suite = useFailedMessagesBackend({
      database: { databases, id: databaseId },
      meta: () => ({ accept: true }),
    });

    const report = (campaign: string) =>
      request(suite.server)
        .post(`${BASE}/messages`)
        .set('Authorization', mockCredentials.service.header())
        .send({
          recipient: '+16505551234',
          campaign,
          templateName: `t_${Math.random()}`,
          payload: { messaging_product: 'whatsapp' },
          error: { code: 131050 },
        })
        .expect(201);

    const campaigns = (query: Record<string, string>) =>
      request(suite.server)
        .get(`${BASE}/campaigns`)
        .query(query)
        .set('Authorization', USER);

    it('suggests the known campaigns containing the text, % and _ literally', async () => {
      await report('Black-Friday');
      await report('50%_off');
      await report('5000 off');

      const friday = await campaigns({ q: 'friday' });
      expect(friday.status).toBe(200);
      expect(friday.body).toEqual({ items: ['Black-Friday'] });
      expect((await campaigns({ q: '%_' })).body).toEqual({
        items: ['50%_off'],
      });
      expect((await campaigns({})).body.items).toHaveLength(3);
      expect((await campaigns({ limit: '1' })).body.items).toHaveLength(1);
    });

    it('refuses a limit outside 1 to 50, naming it', async () => {
      for (const limit of ['0', '51', 'many']) {
        const res = await campaigns({ limit });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain('limit');
      }
    });

    it('needs a signed-in caller', async () => {
      const res = await request(suite.server)
        .get(`${BASE}/campaigns`)
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(401);
    });
  },
);

describe('GET /campaigns without permission', () => {
  it('answers 403 naming the permission', async () => {
    const { server } = await startFailedMessagesBackend({
      permissionResult: AuthorizeResult.DENY,
    });
    const res = await request(server)
      .get(`${BASE}/campaigns`)
      .set('Authorization', USER);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('failed-messages.message.read');
  });
});

import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import fileLocationPlaceholders from '.';

/**
 * The repository's catalog-info.yaml, registered from the disk as the local
 * portal does, shows the backend's API with the OpenAPI file as definition,
 * and the role groups.
 */
describe('catalog-info.yaml from a file location', () => {
  const root = path.resolve(__dirname, '../../../..');
  let server: TestBackend['server'];

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        catalogPlugin,
        fileLocationPlaceholders,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['System', 'Component', 'API', 'Group'] }],
              locations: [
                { type: 'file', target: path.join(root, 'catalog-info.yaml') },
              ],
            },
          },
        }),
      ],
    }));
  });

  /** The catalog processes its locations in the background: polls a while. */
  const getEntity = async (ref: string) => {
    const get = () =>
      request(server)
        .get(`/api/catalog/entities/by-name/${ref}`)
        .set('Authorization', `Bearer ${mockCredentials.user.token()}`);
    let response = await get();
    for (let attempt = 0; response.status === 404 && attempt < 100; attempt++) {
      await new Promise(resolve => setTimeout(resolve, 200));
      response = await get();
    }
    return response;
  };

  it("gives the API entity the bundled OpenAPI file's text, without errors", async () => {
    const response = await getEntity('api/default/failed-messages-api');

    expect(response.status).toBe(200);
    expect(response.body.spec.definition).toBe(
      readFileSync(
        path.join(
          root,
          'plugins/failed-messages-backend/src/schema/openapi.bundled.yaml',
        ),
        'utf-8',
      ),
    );
    expect(response.body.status?.items ?? []).toEqual([]);
  }, 30_000);

  it('describes the groups of the three roles', async () => {
    for (const group of ['admins', 'managers', 'agents']) {
      const response = await getEntity(`group/default/messaging-${group}`);
      expect(response.status).toBe(200);
      expect(response.body.spec.parent).toBe('messaging');
    }
  }, 30_000);
});

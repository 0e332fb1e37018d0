import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import scaffolderModuleFailedMessages from '.';

/**
 * The example template, dry-run through the scaffolder with this module and
 * a stand-in failed-messages backend that records what it is asked.
 */
describe('the "Retry failed messages of a campaign" template', () => {
  const templatePath = path.resolve(
    __dirname,
    '../../../examples/templates/retry-failed-messages/template.yaml',
  );
  const requests: Array<{ method: string; url: string; body: string }> = [];

  const failedMessagesStandIn = createBackendPlugin({
    pluginId: 'failed-messages',
    register(reg) {
      reg.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          httpRouter.use(async (req, res) => {
            let body = '';
            for await (const chunk of req) body += chunk;
            requests.push({ method: req.method, url: req.url, body });
            res.json(
              req.method === 'GET'
                ? { total: 5, retryable: 3, nonRetryable: 2, businessLogic: 0 }
                : { matched: 3, eligible: 3, skipped: [] },
            );
          });
        },
      });
    },
  });

  let baseUrl: string;

  beforeAll(async () => {
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleFailedMessages,
        failedMessagesStandIn,
        catalogServiceMock.factory(),
      ],
    });
    baseUrl = `http://localhost:${server.port()}`;
  });

  beforeEach(() => {
    requests.length = 0;
  });

  // Node's fetch parses answers with the JSON of Node's realm, not of the one
  // Jest runs the scaffolder in, whose templating refuses arrays of another
  // realm; in a real backend the two are one realm. Response is Node's own
  // class, shared with the worker's other test files: put back afterwards.
  let parseInThisRealm: jest.SpyInstance;
  beforeAll(() => {
    parseInThisRealm = jest
      .spyOn(Response.prototype, 'json')
      .mockImplementation(async function json(this: Response) {
        return JSON.parse(await this.text());
      });
  });
  afterAll(() => parseInThisRealm.mockRestore());

  const dryRun = async (template: any, values: Record<string, unknown>) => {
    const response = await fetch(`${baseUrl}/api/scaffolder/v2/dry-run`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${mockCredentials.user.token()}`,
      },
      body: JSON.stringify({ template, values, directoryContents: [] }),
    });
    return { status: response.status, body: await response.json() };
  };

  const template = () => yaml.parse(readFileSync(templatePath, 'utf-8'));

  it('counts and previews a campaign whose name is all digits', async () => {
    const { status, body } = await dryRun(template(), {
      campaign: '2025',
      dryRun: true,
    });

    expect(status).toBe(200);
    expect(body.output.text[0].content).toContain(
      '**Campaign** `2025`: 5 failed messages',
    );
    expect(requests).toEqual([
      { method: 'GET', url: '/summary?campaign=2025', body: '' },
      {
        method: 'POST',
        url: '/bulk-retries',
        body: JSON.stringify({
          filter: { campaign: '2025', category: ['retryable'] },
          dryRun: true,
        }),
      },
    ]);
  });

  it('takes a digit-only campaign written as a number in the template', async () => {
    const withNumber = template();
    for (const step of withNumber.spec.steps) {
      step.input.filter.campaign = 2025;
    }

    const { status } = await dryRun(withNumber, { campaign: '2025' });

    expect(status).toBe(200);
    expect(requests.map(r => r.url)).toEqual([
      '/summary?campaign=2025',
      '/bulk-retries',
    ]);
    expect(JSON.parse(requests[1].body).filter.campaign).toBe('2025');
  });
});

import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createRetryFailedMessagesAction } from './retry';
import { createFailedMessagesSummaryAction } from './summary';

const BASE = 'http://localhost:0/api/failed-messages';

describe('failed-messages scaffolder actions', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const options = {
    discovery: mockServices.discovery(),
    auth: mockServices.auth(),
  };
  const userToken = mockCredentials.service.token({
    onBehalfOf: mockCredentials.user(),
    targetPluginId: 'failed-messages',
  });

  const preview = {
    matched: 12,
    eligible: 9,
    skipped: [{ reason: 'non-retryable', count: 3 }],
  };

  function bulkRetryHandler(calls: Array<{ body: any; auth: string | null }>) {
    return http.post(`${BASE}/bulk-retries`, async ({ request }) => {
      const body = (await request.json()) as any;
      calls.push({ body, auth: request.headers.get('authorization') });
      if (body.dryRun) {
        return HttpResponse.json(preview, { status: 200 });
      }
      return HttpResponse.json(
        {
          id: 'bulk-1',
          status: 'running',
          total: 9,
          processed: 0,
          succeeded: 0,
          failed: 0,
          skipped: 0,
          createdBy: 'user:default/mock',
          createdAt: '2026-01-01T00:00:00.000Z',
          finishedAt: null,
          reason: body.reason ?? null,
        },
        { status: 202 },
      );
    });
  }

  describe('failed-messages:retry', () => {
    const action = createRetryFailedMessagesAction(options);

    it('only previews on dryRun input, without a bulk id', async () => {
      const calls: Array<{ body: any; auth: string | null }> = [];
      server.use(bulkRetryHandler(calls));
      const ctx = createMockActionContext({
        input: {
          filter: {
            campaign: 'black-friday',
            category: ['retryable' as const],
          },
          reason: 'outage over',
          dryRun: true,
        },
      });
      await action.handler(ctx);

      expect(calls).toHaveLength(1);
      expect(calls[0].body).toEqual({
        filter: { campaign: 'black-friday', category: ['retryable'] },
        reason: 'outage over',
        dryRun: true,
      });
      expect(ctx.output).toHaveBeenCalledWith('matched', 12);
      expect(ctx.output).toHaveBeenCalledWith('eligible', 9);
      expect(ctx.output).toHaveBeenCalledWith('skipped', preview.skipped);
      expect(ctx.output).not.toHaveBeenCalledWith(
        'bulkRetryId',
        expect.anything(),
      );
    });

    it("only previews in the scaffolder's dry run", async () => {
      const calls: Array<{ body: any; auth: string | null }> = [];
      server.use(bulkRetryHandler(calls));
      const ctx = {
        ...createMockActionContext({ input: { ids: ['m1', 'm2'] } }),
        isDryRun: true,
      };
      await action.handler(ctx);

      expect(calls.map(c => c.body)).toEqual([
        { ids: ['m1', 'm2'], dryRun: true },
      ]);
      expect(ctx.output).not.toHaveBeenCalledWith(
        'bulkRetryId',
        expect.anything(),
      );
    });

    it('previews then starts the run with the user credentials', async () => {
      const calls: Array<{ body: any; auth: string | null }> = [];
      server.use(bulkRetryHandler(calls));
      const ctx = createMockActionContext({
        input: { filter: { campaign: 'c1', errorCode: [], q: '' } },
      });
      await action.handler(ctx);

      expect(calls.map(c => c.body)).toEqual([
        { filter: { campaign: 'c1' }, dryRun: true },
        { filter: { campaign: 'c1' }, dryRun: false },
      ]);
      for (const call of calls) {
        expect(call.auth).toBe(`Bearer ${userToken}`);
      }
      expect(ctx.output).toHaveBeenCalledWith('bulkRetryId', 'bulk-1');
      expect(ctx.output).toHaveBeenCalledWith('eligible', 9);
    });

    it("fails with the backend's message on 403", async () => {
      server.use(
        http.post(`${BASE}/bulk-retries`, () =>
          HttpResponse.json(
            {
              error: {
                name: 'NotAllowedError',
                message:
                  'Missing permission failed-messages.message.bulk-retry',
              },
              request: { method: 'POST', url: '/bulk-retries' },
              response: { statusCode: 403 },
            },
            { status: 403 },
          ),
        ),
      );
      const ctx = createMockActionContext({
        input: { filter: { campaign: 'c1' } },
      });
      await expect(action.handler(ctx)).rejects.toThrow(
        /403.*failed-messages\.message\.bulk-retry/,
      );
      expect(ctx.output).not.toHaveBeenCalled();
    });

    it('retries a campaign whose name is all digits', async () => {
      const calls: Array<{ body: any; auth: string | null }> = [];
      server.use(bulkRetryHandler(calls));
      const ctx = createMockActionContext({
        input: {
          filter: { campaign: 2025, errorCode: [131026] },
          dryRun: true,
        },
      });
      await action.handler(ctx);

      expect(calls[0].body.filter).toEqual({
        campaign: '2025',
        errorCode: ['131026'],
      });
    });

    it('refuses to run without ids or filter', async () => {
      const ctx = createMockActionContext({ input: { filter: {} } });
      await expect(action.handler(ctx)).rejects.toThrow(
        /needs ids or a non-empty filter/,
      );
    });
  });

  describe('failed-messages:summary', () => {
    const action = createFailedMessagesSummaryAction(options);

    it('passes the filter as repeated query params and outputs the counts', async () => {
      let seen: URL | undefined;
      let auth: string | null = null;
      server.use(
        http.get(`${BASE}/summary`, ({ request }) => {
          seen = new URL(request.url);
          auth = request.headers.get('authorization');
          return HttpResponse.json({
            total: 10,
            retryable: 6,
            nonRetryable: 3,
            businessLogic: 1,
          });
        }),
      );
      const ctx = createMockActionContext({
        input: {
          filter: {
            age: '7d' as const,
            campaign: 'black friday',
            category: ['retryable' as const, 'business-logic' as const],
            retryStatus: ['never-retried' as const],
            q: '',
          },
        },
      });
      await action.handler(ctx);

      expect(seen?.search).toBe(
        '?age=7d&campaign=black+friday&category=retryable&category=business-logic&retryStatus=never-retried',
      );
      expect(seen?.searchParams.getAll('category')).toEqual([
        'retryable',
        'business-logic',
      ]);
      expect(auth).toBe(`Bearer ${userToken}`);
      expect(ctx.output).toHaveBeenCalledWith('total', 10);
      expect(ctx.output).toHaveBeenCalledWith('retryable', 6);
      expect(ctx.output).toHaveBeenCalledWith('nonRetryable', 3);
      expect(ctx.output).toHaveBeenCalledWith('businessLogic', 1);
    });

    it("fails with the backend's message on 403", async () => {
      server.use(
        http.get(`${BASE}/summary`, () =>
          HttpResponse.json(
            {
              error: {
                name: 'NotAllowedError',
                message: 'Missing permission failed-messages.message.read',
              },
              request: { method: 'GET', url: '/summary' },
              response: { statusCode: 403 },
            },
            { status: 403 },
          ),
        ),
      );
      const ctx = createMockActionContext({ input: {} });
      await expect(action.handler(ctx)).rejects.toThrow(
        /403.*failed-messages\.message\.read/,
      );
      expect(ctx.output).not.toHaveBeenCalled();
    });

    it('counts a campaign whose name is all digits', async () => {
      let seen: URL | undefined;
      server.use(
        http.get(`${BASE}/summary`, ({ request }) => {
          seen = new URL(request.url);
          return HttpResponse.json({
            total: 0,
            retryable: 0,
            nonRetryable: 0,
            businessLogic: 0,
          });
        }),
      );
      await action.handler(
        createMockActionContext({ input: { filter: { campaign: 2025 } } }),
      );

      expect(seen?.searchParams.get('campaign')).toBe('2025');
    });
  });
});

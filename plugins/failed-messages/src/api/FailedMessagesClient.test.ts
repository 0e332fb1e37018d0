import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { FailedMessagesClient } from './FailedMessagesClient';

const baseUrl = 'http://localhost:7007/api/failed-messages';
const server = setupServer();
registerMswTestHooks(server);

const client = new FailedMessagesClient({
  discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
  fetchApi: { fetch: (...args: Parameters<typeof fetch>) => fetch(...args) },
});

describe('FailedMessagesClient', () => {
  it('asks for the known campaigns containing the text', async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(`${baseUrl}/campaigns`, ({ request }) => {
        query = new URL(request.url).searchParams;
        return HttpResponse.json({ items: ['black-friday'] });
      }),
    );

    expect(await client.listCampaigns({ q: '50%_fri', limit: 5 })).toEqual([
      'black-friday',
    ]);
    expect(query?.get('q')).toBe('50%_fri');
    expect(query?.get('limit')).toBe('5');
  });

  it('repeats array filters and sends paging in the list query', async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(`${baseUrl}/messages`, ({ request }) => {
        query = new URL(request.url).searchParams;
        return HttpResponse.json({ items: [], totalCount: 0 });
      }),
    );

    await client.listMessages({
      category: ['retryable', 'business-logic'],
      errorCode: ['130429'],
      campaign: 'black-friday',
      q: '',
      sort: 'attempts',
      order: 'asc',
      limit: 25,
      offset: 50,
    });

    expect(query?.getAll('category')).toEqual(['retryable', 'business-logic']);
    expect(query?.getAll('errorCode')).toEqual(['130429']);
    expect(query?.get('campaign')).toBe('black-friday');
    expect(query?.has('q')).toBe(false);
    expect(query?.get('sort')).toBe('attempts');
    expect(query?.get('order')).toBe('asc');
    expect(query?.get('limit')).toBe('25');
    expect(query?.get('offset')).toBe('50');
  });

  it('sends a custom range as from and to to the list, the counts and the export', async () => {
    const queries: URLSearchParams[] = [];
    server.use(
      http.get(`${baseUrl}/messages`, ({ request }) => {
        queries.push(new URL(request.url).searchParams);
        return HttpResponse.json({ items: [], totalCount: 0 });
      }),
      http.get(`${baseUrl}/summary`, ({ request }) => {
        queries.push(new URL(request.url).searchParams);
        return HttpResponse.json({
          total: 0,
          retryable: 0,
          nonRetryable: 0,
          businessLogic: 0,
        });
      }),
    );
    const range = {
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-20T00:00:00.000Z',
    };

    await client.listMessages(range);
    await client.getSummary(range);
    const exportUrl = await client.exportUrl(range);

    queries.push(new URL(exportUrl).searchParams);
    for (const query of queries) {
      expect(Object.fromEntries(query)).toMatchObject(range);
    }
    expect(queries).toHaveLength(3);
  });

  it('builds the CSV export URL from the filter', async () => {
    await expect(
      client.exportUrl({ age: '30d', retryStatus: ['retry-failed'] }),
    ).resolves.toBe(
      `${baseUrl}/export/messages.csv?age=30d&retryStatus=retry-failed`,
    );
  });

  it.each([
    ['signs it for a signed-in user', 'user-token', 'Bearer user-token'],
    ['sends it unsigned without a token', '', null],
  ])(
    "posts a forced retry with its reason through the app's fetch API, which %s",
    async (_, token, authorization) => {
      let received: { body: unknown; authorization: string | null } | undefined;
      server.use(
        http.post(`${baseUrl}/messages/msg-1/retry`, async ({ request }) => {
          received = {
            body: await request.json(),
            authorization: request.headers.get('authorization'),
          };
          return HttpResponse.json({ message: {}, attempt: {} });
        }),
      );
      const appClient = new FailedMessagesClient({
        discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
        fetchApi: new MockFetchApi({ injectIdentityAuth: { token } }),
      });

      await appClient.retryMessage('msg-1', {
        force: true,
        reason: 'limit reset',
      });

      expect(received).toEqual({
        body: { force: true, reason: 'limit reset' },
        authorization,
      });
    },
  );

  it('posts a settlement and answers the message as it is now', async () => {
    let body: unknown;
    server.use(
      http.post(`${baseUrl}/messages/msg-1/settle`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({
          message: { id: 'msg-1', retryStatus: 'retry-failed' },
        });
      }),
    );

    const message = await client.settleMessage('msg-1', {
      outcome: 'failed',
      reason: 'Not in the message log',
    });

    expect(body).toEqual({
      outcome: 'failed',
      reason: 'Not in the message log',
    });
    expect(message).toEqual({ id: 'msg-1', retryStatus: 'retry-failed' });
  });

  it("keeps the backend's error message", async () => {
    server.use(
      http.post(`${baseUrl}/messages/msg-1/retry`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: 'The recipient opted out',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );

    await expect(client.retryMessage('msg-1')).rejects.toMatchObject({
      statusCode: 409,
      cause: { message: 'The recipient opted out' },
    });
  });
});

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
const SERVICE = mockCredentials.service.header();
const USER = mockCredentials.user.header('user:default/ada-admin');
const META_ERROR_CODES_URL =
  'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes';

const report = (overrides: Record<string, unknown> = {}) => ({
  externalId: `wamid.${Math.random().toString(36).slice(2)}`,
  recipient: '+16505551234',
  campaign: 'order-updates',
  templateName: 'order_update',
  payload: {
    messaging_product: 'whatsapp',
    to: '+16505551234',
    type: 'template',
    template: { name: 'order_update', language: { code: 'en_US' } },
  },
  error: { code: 130429, message: '(#130429) Rate limit hit' },
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'failed-messages API on %s',
  databaseId => {
    const suite = useFailedMessagesBackend({
      database: { databases, id: databaseId },
    });

    const post = (body: unknown, auth = SERVICE) =>
      request(suite.server)
        .post(`${BASE}/messages`)
        .set('Authorization', auth)
        .send(body as object);

    it('answers health checks without credentials', async () => {
      const res = await request(suite.server)
        .get(`${BASE}/health`)
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    describe('reporting failures', () => {
      it('stores a report classified by the catalogue', async () => {
        const res = await post(report({ error: { code: 131049 } }));
        expect(res.status).toBe(201);
        expect(res.body).toEqual({
          id: expect.any(String),
          category: 'business-logic',
        });

        const detail = await request(suite.server)
          .get(`${BASE}/messages/${res.body.id}`)
          .set('Authorization', USER);
        expect(detail.status).toBe(200);
        expect(detail.body.error).toEqual({
          code: '131049',
          title: 'Meta chose not to deliver',
          message: null,
          details: null,
        });
        expect(detail.body.explanation).toEqual({
          meaning: expect.any(String),
          action: expect.any(String),
          docsUrl: META_ERROR_CODES_URL,
          manualRetry: 'after-wait',
          rule: expect.stringMatching(/24 hours/),
        });
        expect(detail.body.eligibility.canRetry).toBe(false);
        expect(detail.body.payload.messaging_product).toBe('whatsapp');
        expect(detail.body.attempts).toEqual([]);
      });

      it('returns the existing record with 200 when reported again', async () => {
        const body = report();
        const first = await post(body);
        const second = await post(body);
        expect(first.status).toBe(201);
        expect(second.status).toBe(200);
        expect(second.body.id).toBe(first.body.id);
      });

      it('stores a batch and rejects a batch with one bad report whole', async () => {
        const campaign = `batch-${Date.now()}`;
        const good = await post({
          messages: [
            report({ campaign }),
            report({ campaign, error: { code: '131050' } }),
          ],
        });
        expect(good.status).toBe(201);
        expect(good.body.items.map((i: any) => i.category)).toEqual([
          'retryable',
          'non-retryable',
        ]);

        const rejected = `rejected-${Date.now()}`;
        const bad = await post({
          messages: [
            report({ campaign: rejected }),
            report({ campaign: rejected, recipient: '' }),
          ],
        });
        expect(bad.status).toBe(400);
        expect(bad.body.error.message).toMatch(/recipient/);
        const list = await request(suite.server)
          .get(`${BASE}/messages`)
          .query({ campaign: rejected })
          .set('Authorization', USER);
        expect(list.body.totalCount).toBe(0);
      });

      it('rejects more than 1,000 reports in a batch', async () => {
        const res = await post({
          messages: Array.from({ length: 1001 }, () => report()),
        });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/messages/);
      });

      it('names the missing field', async () => {
        const res = await post({ recipient: '+1650', error: {} });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/code/);
      });

      it('accepts reports from services only', async () => {
        const res = await post(report(), USER);
        expect(res.status).toBe(403);
        const anonymous = await post(report(), mockCredentials.none.header());
        expect(anonymous.status).toBe(401);
      });
    });

    describe('reading', () => {
      const campaign = 'read-tests';

      beforeAll(async () => {
        await post({
          messages: [
            report({ campaign, failedAt: '2026-11-20T10:00:00Z' }),
            report({
              campaign,
              failedAt: '2026-11-21T10:00:00Z',
              error: { code: 131026 },
            }),
            report({
              campaign,
              failedAt: '2026-11-22T10:00:00Z',
              error: { code: 132015 },
            }),
            report({
              campaign,
              failedAt: '2026-11-23T10:00:00Z',
              recipient: '+44 "7700", 900',
              payload: { messaging_product: 'whatsapp', to: '+447700900' },
            }),
          ],
        });
      });

      it('lists with filters, sorting and paging', async () => {
        const res = await request(suite.server)
          .get(`${BASE}/messages`)
          .query({ campaign, limit: 2, offset: 1, order: 'asc' })
          .set('Authorization', USER);
        expect(res.status).toBe(200);
        expect(res.body.totalCount).toBe(4);
        expect(res.body.items.map((m: any) => m.failedAt)).toEqual([
          '2026-11-21T10:00:00.000Z',
          '2026-11-22T10:00:00.000Z',
        ]);

        const byCategory = await request(suite.server)
          .get(
            `${BASE}/messages?campaign=${campaign}&category=non-retryable&category=business-logic`,
          )
          .set('Authorization', USER);
        expect(byCategory.body.items.map((m: any) => m.error.code)).toEqual([
          '132015',
          '131026',
        ]);
      });

      it('summarizes', async () => {
        const res = await request(suite.server)
          .get(`${BASE}/summary`)
          .query({ campaign })
          .set('Authorization', USER);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          total: 4,
          retryable: 2,
          nonRetryable: 1,
          businessLogic: 1,
        });
      });

      it('exports every matching row as CSV', async () => {
        const res = await request(suite.server)
          .get(`${BASE}/export/messages.csv`)
          .query({ campaign })
          .set('Authorization', USER);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/csv/);
        expect(res.headers['content-disposition']).toMatch(/attachment/);
        const lines = res.text.trim().split('\r\n');
        expect(lines[0]).toMatch(/^id,channel,externalId,recipient/);
        expect(lines).toHaveLength(5);
        expect(lines[1]).toContain(`"'+44 ""7700"", 900"`);
      });

      it('serves the catalogue', async () => {
        const res = await request(suite.server)
          .get(`${BASE}/error-codes`)
          .set('Authorization', USER);
        expect(res.status).toBe(200);
        expect(res.body.length).toBeGreaterThanOrEqual(40);
        expect(res.body.find((c: any) => c.code === '131050')).toMatchObject({
          category: 'non-retryable',
          autoRetry: false,
          docsUrl: META_ERROR_CODES_URL,
        });
        // Our own codes are not Meta's to document.
        expect(
          res.body.find((c: any) => c.code === 'network-error').docsUrl,
        ).toBeNull();
      });

      it('answers 404 for an unknown id', async () => {
        const res = await request(suite.server)
          .get(`${BASE}/messages/does-not-exist`)
          .set('Authorization', USER);
        expect(res.status).toBe(404);
        expect(res.body.error.name).toBe('NotFoundError');
      });

      it.each([
        ['limit=0', 'limit'],
        ['limit=10000', 'limit'],
        ['age=2d', 'age'],
        ['from=yesterday', 'from'],
        ['category=blue', 'category'],
        ['retryStatus=maybe', 'retryStatus'],
        ['sort=recipient', 'sort'],
        ['colour=red', 'colour'],
        ['from=2026-11-25&to=2026-11-01', 'from'],
        ['offset=1.5', 'offset'],
        ['q=', 'q'],
        ['campaign=a&campaign=b', 'campaign'],
        ['category=retryable&category=blue', 'category'],
      ])('rejects %s naming the parameter', async (query, name) => {
        const res = await request(suite.server)
          .get(`${BASE}/messages?${query}`)
          .set('Authorization', USER);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(name);
      });

      it.each([
        ['summary', 'limit=10', 'limit'],
        ['summary', 'errorCode=', 'errorCode'],
        ['summary', 'age=7d&age=30d', 'age'],
        ['export/messages.csv', 'retryStatus=maybe', 'retryStatus'],
        ['export/messages.csv', 'sort=failedAt', 'sort'],
        ['statistics', 'bucket=month', 'bucket'],
        ['statistics', 'campaign=', 'campaign'],
      ])('rejects /%s?%s naming the parameter', async (path, query, name) => {
        const res = await request(suite.server)
          .get(`${BASE}/${path}?${query}`)
          .set('Authorization', USER);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(name);
      });

      it('names the allowed values of a repeated parameter', async () => {
        const res = await request(suite.server)
          .get(`${BASE}/messages?category=retryable&category=blue`)
          .set('Authorization', USER);
        expect(res.body.error.message).toMatch(
          /category: .*retryable.*non-retryable.*business-logic/,
        );
      });
    });
  },
);

describe('failed-messages API without permission', () => {
  it('answers 403 naming the permission', async () => {
    const { server } = await startFailedMessagesBackend({
      permissionResult: AuthorizeResult.DENY,
    });
    const res = await request(server)
      .get(`${BASE}/messages`)
      .set('Authorization', USER);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('failed-messages.message.read');
    const anonymous = await request(server)
      .get(`${BASE}/summary`)
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });
});

describe('failed-messages configuration', () => {
  it('refuses to start when the WhatsApp sender lacks its credentials', async () => {
    await expect(
      startFailedMessagesBackend({
        config: {
          failedMessages: {
            sender: 'whatsapp',
            whatsapp: { phoneNumberId: '123' },
          },
        },
      }),
    ).rejects.toThrow(/failedMessages\.whatsapp\.accessToken/);
  });

  it('refuses a concurrency that is not a whole number of sends', async () => {
    await expect(
      startFailedMessagesBackend({
        config: {
          failedMessages: { sender: 'sandbox', retry: { concurrency: 0.5 } },
        },
      }),
    ).rejects.toThrow(
      /failedMessages\.retry\.concurrency: must be a whole number/,
    );
  });
});

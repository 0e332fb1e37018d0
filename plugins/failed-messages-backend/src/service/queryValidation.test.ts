import express from 'express';
import request from 'supertest';
import { FAILED_MESSAGE_FILTER_KEYS } from '@msgops/plugin-failed-messages-common';
import {
  createOpenApiRouter,
  queryParameters,
  spec,
} from '../schema/openapi.generated';
import {
  compileQueryValidator,
  documentedDefault,
  ReadOperation,
} from './queryValidation';

const READ_ROUTES: Array<[ReadOperation, string]> = [
  ['ListMessages', '/messages'],
  ['GetSummary', '/summary'],
  ['ExportMessages', '/export/messages.csv'],
  ['GetStatistics', '/statistics'],
];

/** Valid and invalid queries of every read route's parameters. */
const QUERIES = [
  '',
  'limit=5',
  'limit=200',
  'limit=0',
  'limit=201',
  'limit=abc',
  'limit=1.5',
  'limit=',
  'limit=5&limit=6',
  'offset=0',
  'offset=-1',
  'offset=100000',
  'offset=100001',
  'offset=',
  'sort=errorCode',
  'sort=recipient',
  'order=asc',
  'order=up',
  'age=7d',
  'age=2d',
  'age=',
  'age=7d&age=30d',
  'from=2026-11-01',
  'from=',
  'to=2026-11-30T10:00:00Z',
  'from=2026-11-01&from=2026-11-02',
  'category=retryable',
  'category=retryable&category=business-logic',
  'category=blue',
  'category=retryable&category=',
  'category=',
  'errorCode=131047',
  'errorCode=131047&errorCode=131026',
  'errorCode=',
  `errorCode=${'1'.repeat(32)}`,
  `errorCode=${'1'.repeat(33)}`,
  'retryStatus=never-retried',
  'retryStatus=maybe',
  'campaign=black-friday',
  'campaign=a&campaign=b',
  'campaign=',
  `campaign=${'c'.repeat(255)}`,
  `campaign=${'c'.repeat(256)}`,
  'q=alice',
  'q=',
  `q=${'x'.repeat(200)}`,
  `q=${'x'.repeat(201)}`,
  'q=a&q=b',
  'colour=red',
  'bucket=week',
  'bucket=month',
  'bucket=',
  'from=2026-11-01&to=2026-11-30&bucket=day',
];

/** 204 when a query is accepted, 400 when it is refused. */
async function documentVerdicts() {
  const api = await createOpenApiRouter();
  const app = express();
  for (const [, path] of READ_ROUTES) {
    api.get(path as '/summary', (_req, res) => {
      res.status(204).end();
    });
  }
  app.use(api);
  app.use(((_error, _req, res, _next) => {
    res.status(400).end();
  }) as express.ErrorRequestHandler);
  return app;
}

function compiledVerdicts() {
  const app = express();
  for (const [operation, path] of READ_ROUTES) {
    const validate = compileQueryValidator(operation);
    app.get(path, (req, res) => {
      try {
        validate(req.query);
        res.status(204).end();
      } catch {
        res.status(400).end();
      }
    });
  }
  return app;
}

describe('the read routes’ query validation', () => {
  it('accepts and refuses the same queries as the OpenAPI validator', async () => {
    const byDocument = await documentVerdicts();
    const byCompiled = compiledVerdicts();
    const disagreements: string[] = [];
    let refused = 0;
    for (const [, path] of READ_ROUTES) {
      for (const query of QUERIES) {
        const url = `${path}?${query}`;
        const expected = await request(byDocument)
          .get(url)
          .set('Authorization', 'Bearer token');
        const actual = await request(byCompiled).get(url);
        if (expected.status === 400) refused += 1;
        if (actual.status !== expected.status) {
          disagreements.push(
            `${url}: ${actual.status}, document ${expected.status}`,
          );
        }
      }
    }
    expect(disagreements).toEqual([]);
    // Both kinds of query were tried on every route.
    expect(refused).toBeGreaterThan(READ_ROUTES.length);
    expect(refused).toBeLessThan(READ_ROUTES.length * QUERIES.length);
  });

  it('names the parameter and its allowed values', () => {
    const validate = compileQueryValidator('ListMessages');
    expect(() => validate({ category: ['retryable', 'blue'] })).toThrow(
      'Invalid query parameter category: must be equal to one of the allowed values: retryable, non-retryable, business-logic',
    );
    expect(() => validate({ colour: 'red' })).toThrow(
      'Invalid query parameter colour: not a parameter of this route',
    );
    expect(() => validate({ offset: '100001' })).toThrow(
      'Invalid query parameter offset: must be <= 100000',
    );
    expect(() => validate({ q: '' })).toThrow(
      'Invalid query parameter q: must not be empty',
    );
  });

  it('applies the document’s defaults and reads numbers and lists', () => {
    expect(
      compileQueryValidator('ListMessages')({
        limit: '10',
        category: 'retryable',
      }),
    ).toEqual({
      limit: 10,
      category: ['retryable'],
      sort: 'failedAt',
      order: 'desc',
      offset: 0,
    });
  });
});

describe('documentedDefault', () => {
  it("gives a parameter's default from the document, and refuses one it has none for", () => {
    expect(documentedDefault('ListCampaigns', 'limit')).toBe(
      queryParameters.ListCampaigns.find(p => p.name === 'limit')!.schema
        .default,
    );
    expect(documentedDefault('ListBulkRetries', 'limit')).toEqual(
      expect.any(Number),
    );
    expect(() => documentedDefault('ListCampaigns', 'q')).toThrow(
      'ListCampaigns documents no default for q',
    );
  });
});

describe("the bulk retry body's filter", () => {
  it('has the keys of the query filter', () => {
    expect(
      Object.keys(spec.components.schemas.MessageFilter.properties),
    ).toEqual(FAILED_MESSAGE_FILTER_KEYS);
  });
});

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express from 'express';
import Router from 'express-promise-router';
import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { DateTime } from 'luxon';
import {
  ErrorCodeCatalogue,
  failedMessagesBulkRetryPermission,
  failedMessagesReadPermission,
  failedMessagesStatisticsReadPermission,
  operations,
} from '@msgops/plugin-failed-messages-common';
import { AutoRetrySettings, WebhookSettings } from '../config';
import { FailedMessageStore } from '../database/FailedMessageStore';
import {
  createPermissionGuard,
  requireRetryPermissionOf,
} from '../permissions/requirePermission';
import { AutomaticRetry } from '../retry/AutomaticRetry';
import { autoRetryStatus, triggerAutoRetry } from '../retry/autoRetryTask';
import { BulkRetries } from '../retry/BulkRetries';
import { ManualRetryLimitError } from '../retry/ManualRetryQuota';
import { RetryEngine } from '../retry/RetryEngine';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { FailedMessagesSignals } from '../signals/FailedMessagesSignals';
import { createWebhookRouter } from '../webhooks/createWebhookRouter';
import { CSV_HEADER, toCsvLine } from './csv';
import { FailedMessageIngestion } from './FailedMessageIngestion';
import { audited } from './audited';
import { describeMessage, readMessageDetail } from './messageDetail';
import {
  parseExportQuery,
  parseFilterQuery,
  parseListQuery,
} from './queryParameters';
import { addMessageStateRoutes } from './messageStates';
import { addAccountRoutes } from './accountRoutes';
import { addCampaignRoutes } from './campaignRoutes';
import { addSendRoutes } from './sendRoutes';
import { computeStatistics, parseStatisticsQuery } from './statistics';
import { documentedDefault } from './queryValidation';
import {
  principalRef,
  readBulkRetryBody,
  readRetryBody,
  requireReasonToForce,
} from './retryRequests';

export interface RouterOptions {
  store: FailedMessageStore;
  bulkRetries: BulkRetries;
  autoRetry: AutoRetrySettings;
  automatic: AutomaticRetry;
  scheduler: SchedulerService;
  engine: RetryEngine;
  auditor: AuditorService;
  catalogue: ErrorCodeCatalogue;
  webhooks: WebhookSettings | undefined;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  signals: FailedMessagesSignals;
}

/** The JSON a route answers with, as the OpenAPI document describes it. */
type JsonAnswer<Operation extends keyof operations> =
  operations[Operation] extends {
    responses: { 200: { content: { 'application/json': infer Body } } };
  }
    ? Body
    : never;

/** A batch of 1,000 reports with their send payloads exceeds express's 100 kB default. */
const MAX_JSON_BYTES = '10mb';

/** How many bulk retries GET /bulk-retries lists without a limit. */
const BULK_RETRY_LIST_LIMIT = Number(
  documentedDefault('ListBulkRetries', 'limit'),
);

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, catalogue, engine, bulkRetries, auditor, httpAuth, logger } =
    options;
  const requirePermission = createPermissionGuard(options);
  const ingestion = new FailedMessageIngestion(
    store,
    catalogue,
    engine,
    logger,
    options.signals,
  );

  const detailDeps = { catalogue, engine, store };
  const { numbers } = engine.sending;

  const router = Router();
  router.use(
    '/webhooks',
    createWebhookRouter({ webhooks: options.webhooks, ingestion }),
  );

  // The read routes take only a query string. They are served before the
  // OpenAPI validator, whose chain costs 0.18–0.25 ms a request
  // (docs/benchmarks.md, "The fixed cost per request"), and check their
  // query with validation compiled from the same document
  // (queryValidation.ts), naming the parameter in the 400.
  // Their answers are still checked against the document, by the compiler.
  router.get('/messages', async (req, res) => {
    await requirePermission(req, failedMessagesReadPermission);
    const page = await store.listMessages(parseListQuery(req.query));
    res.json({
      ...page,
      items: page.items.map(message => numbers.labelled(message)),
    } satisfies JsonAnswer<'ListMessages'>);
  });

  router.get('/summary', async (req, res) => {
    await requirePermission(req, failedMessagesReadPermission);
    const summary = await store.summarize(parseFilterQuery(req.query));
    res.json(summary satisfies JsonAnswer<'GetSummary'>);
  });

  router.get('/export/messages.csv', async (req, res) => {
    await requirePermission(req, failedMessagesReadPermission);
    const filter = parseExportQuery(req.query);
    const stamp = DateTime.utc().toFormat("yyyyLLdd'T'HHmmss");
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="failed-messages-${stamp}.csv"`,
    );
    async function* lines() {
      yield CSV_HEADER;
      for await (const message of store.streamMessages(filter)) {
        yield toCsvLine(numbers.labelled(message));
      }
    }
    await pipeline(Readable.from(lines()), res);
  });

  router.get('/statistics', async (req, res) => {
    await requirePermission(req, failedMessagesStatisticsReadPermission);
    const statistics = await computeStatistics(
      store,
      catalogue,
      parseStatisticsQuery(req.query),
      numbers,
    );
    res.json(statistics satisfies JsonAnswer<'GetStatistics'>);
  });

  const api = await createOpenApiRouter({
    middleware: [express.json({ limit: MAX_JSON_BYTES })],
    // The default ("fast") checks a date-time's shape alone, so 30 February
    // passed and failed in the database; "full" checks that the date exists.
    validatorOptions: { ajvFormats: { mode: 'full' } },
  });
  router.use(api);

  api.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  api.get('/messages/:id', async (req, res) => {
    await requirePermission(req, failedMessagesReadPermission);
    res.json(await readMessageDetail(req.params.id, detailDeps));
  });

  api.post('/bulk-retries', async (req, res) => {
    await requirePermission(req, failedMessagesBulkRetryPermission);
    const credentials = await httpAuth.credentials(req);
    const { scope, dryRun, reason } = readBulkRetryBody(req.body);
    if (dryRun) {
      res.json(await bulkRetries.preview(scope));
      return;
    }
    const bulk = await audited(
      auditor,
      {
        eventId: 'bulk-retry-start',
        request: req,
        meta: {
          scope:
            'ids' in scope
              ? { ids: scope.ids.length }
              : { filter: (req.body.filter ?? {}) as JsonObject },
          reason,
        },
      },
      () =>
        bulkRetries.start({
          scope,
          reason,
          createdBy: principalRef(credentials) ?? 'unknown',
        }),
      started => ({ bulkRetryId: started.id, total: started.total }),
    );
    res.status(202).json(bulk);
  });

  api.get('/bulk-retries', async (req, res) => {
    await requirePermission(req, failedMessagesBulkRetryPermission);
    const { status, limit } = req.query;
    res.json({
      items: await store.listBulkRetries({
        // One value or several, as the query string gives them.
        statuses: status === undefined ? undefined : [status].flat(),
        limit: Number(limit ?? BULK_RETRY_LIST_LIMIT),
      }),
    });
  });

  api.get('/bulk-retries/:id', async (req, res) => {
    await requirePermission(req, failedMessagesBulkRetryPermission);
    res.json(await bulkRetries.get(req.params.id));
  });

  api.post('/bulk-retries/:id/cancel', async (req, res) => {
    await requirePermission(req, failedMessagesBulkRetryPermission);
    const bulk = await audited(
      auditor,
      {
        eventId: 'bulk-retry-cancel',
        request: req,
        meta: { bulkRetryId: req.params.id },
      },
      () => bulkRetries.cancel(req.params.id),
      cancelled => ({ processed: cancelled.processed }),
    );
    res.json(bulk);
  });

  api.get('/auto-retry', async (req, res) => {
    await requirePermission(req, failedMessagesReadPermission);
    const status = await autoRetryStatus({
      settings: options.autoRetry,
      automatic: options.automatic,
      store,
      now: DateTime.utc(),
    });
    res.json({ ...status, paused: await engine.sending.listPauses() });
  });

  api.post('/auto-retry/run', async (req, res) => {
    await requirePermission(req, failedMessagesBulkRetryPermission);
    const triggered = await audited(
      auditor,
      { eventId: 'auto-retry-run', request: req },
      () =>
        triggerAutoRetry({
          scheduler: options.scheduler,
          settings: options.autoRetry,
          automatic: options.automatic,
          store,
        }),
      result => ({ status: result.status }),
    );
    res.status(triggered.status === 'started' ? 202 : 200).json(triggered);
  });

  api.get('/error-codes', async (req, res) => {
    await requirePermission(req, failedMessagesReadPermission);
    res.json(catalogue.list());
  });

  api.post('/messages/:id/retry', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const body = readRetryBody(req.body);
    await requireRetryPermissionOf(
      options.permissions,
      credentials,
      body.force,
    );
    requireReasonToForce(body);
    const { attempt, message, known } = await audited(
      auditor,
      {
        eventId: 'retry',
        request: req,
        meta: {
          messageId: req.params.id,
          force: body.force,
          reason: body.reason,
        },
      },
      () =>
        engine.retryById(req.params.id, {
          trigger: 'manual',
          actor: principalRef(credentials),
          force: body.force,
          reason: body.reason,
        }),
      result => ({
        attemptId: result.attempt.id,
        outcome: result.attempt.outcome,
      }),
    );
    res.json({
      message: await describeMessage(message, detailDeps, known),
      attempt,
    });
  });

  addAccountRoutes(api, { ...options, sending: engine.sending });
  addCampaignRoutes(api, options);
  addSendRoutes(api, { httpAuth, ingestion });

  addMessageStateRoutes(api, {
    ...options,
    readDetail: id => readMessageDetail(id, detailDeps),
  });

  api.post('/messages', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const result = await ingestion.report(req.body);
    if (result.kind === 'batch') {
      res.status(201).json({
        items: result.reports.map(({ id, category }) => ({ id, category })),
      });
      return;
    }
    const { id, category, created } = result.report;
    res.status(created ? 201 : 200).json({ id, category });
  });

  // A person over the retry limit learns when to try again.
  router.use(
    (
      error: unknown,
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (error instanceof ManualRetryLimitError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      next(error);
    },
  );

  return router;
}

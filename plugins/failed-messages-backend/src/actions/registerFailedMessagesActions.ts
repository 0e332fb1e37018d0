import {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { BasicPermission } from '@backstage/plugin-permission-common';
import {
  AGE_FILTERS,
  CATEGORIES,
  ErrorCodeCatalogue,
  failedMessagesBulkRetryPermission,
  failedMessagesReadPermission,
  failedMessagesRetryPermission,
  failedMessagesStatisticsReadPermission,
  RETRY_STATUSES,
  SORT_FIELDS,
} from '@internal/plugin-failed-messages-common';
import { FailedMessageStore } from '../database/FailedMessageStore';
import { BulkRetries } from '../retry/BulkRetries';
import { RetryEngine } from '../retry/RetryEngine';
import { parseFilterQuery, parseListQuery } from '../service/queryParameters';
import {
  parseBulkRetryBody,
  parseRetryBody,
  principalRef,
} from '../service/retryRequests';
import { requirePermissionOf } from '../permissions/requirePermission';
import { audited } from '../service/audited';
import { describeMessage, readMessageDetail } from '../service/messageDetail';
import { computeStatistics, parseStatisticsQuery } from '../service/statistics';

/** The zod the actions registry hands to schema factories. */
type Zod = Parameters<
  Parameters<ActionsRegistryService['register']>[0]['schema']['input']
>[0];

export interface FailedMessagesActionsOptions {
  actionsRegistry: ActionsRegistryService;
  store: FailedMessageStore;
  engine: RetryEngine;
  bulkRetries: BulkRetries;
  catalogue: ErrorCodeCatalogue;
  permissions: PermissionsService;
  auditor: AuditorService;
}

const VOCABULARY = [
  'Vocabulary:',
  '- category: how a failure can be recovered.',
  '  "retryable" = a temporary problem at Meta or the network (rate limits, outages); a retry is likely to succeed.',
  '  "non-retryable" = the message cannot be delivered as sent (invalid number, recipient not on WhatsApp, recipient opted out, template rejected); retrying will fail again.',
  '  "business-logic" = blocked by a WhatsApp business rule or account state (per-user marketing limit, 24-hour window closed, template paused, token or payment problem); it may clear later, a person decides.',
  '- retryStatus: where a message stands in its retry life cycle.',
  '  "never-retried" = no retry yet; "retrying" = a retry is being sent right now;',
  '  "retry-failed" = the last retry failed; "max-attempts-reached" = automatic retries gave up;',
  '  "retry-succeeded" = a retry was accepted by Meta; "outcome-unknown" = a send was started but its result was never recorded (do not blindly resend).',
].join('\n');

const FILTER_HELP = [
  'Filters (all optional, combined with AND):',
  'age ("24h", "7d", "30d", "90d", "all") picks a preset window of failure time, ignored when from/to are given;',
  'from/to are ISO 8601 dates or date-times bounding the failure time;',
  'category, errorCode and retryStatus are lists (any of the values matches);',
  'campaign matches exactly; q searches recipient, error text and template name.',
].join(' ');

function filterShape(z: Zod) {
  return {
    age: z
      .enum(AGE_FILTERS)
      .optional()
      .describe('Preset window of failure time; ignored when from/to are set'),
    from: z
      .string()
      .optional()
      .describe('Earliest failure time, ISO 8601 (e.g. 2026-11-01)'),
    to: z.string().optional().describe('Latest failure time, ISO 8601'),
    category: z
      .array(z.enum(CATEGORIES))
      .optional()
      .describe('Only these categories'),
    errorCode: z
      .array(z.string().min(1).max(32))
      .optional()
      .describe('Only these provider error codes, e.g. ["131047"]'),
    retryStatus: z
      .array(z.enum(RETRY_STATUSES))
      .optional()
      .describe('Only these retry statuses'),
    campaign: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe('Only this campaign'),
    q: z
      .string()
      .max(200)
      .optional()
      .describe('Free-text search over recipient, error and template'),
  };
}

/** Drops keys whose value is undefined, so the strict parsers accept the input. */
function defined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/** Plain JSON for the output, as an MCP client receives it. */
function json<T>(value: T): any {
  return JSON.parse(JSON.stringify(value));
}

/**
 * Registers the failed-messages actions for AI clients (MCP). Every action
 * checks the caller's permission, as the HTTP routes do.
 */
export function registerFailedMessagesActions(
  options: FailedMessagesActionsOptions,
): void {
  const { actionsRegistry, store, engine, bulkRetries, catalogue, auditor } =
    options;

  const requirePermission = (
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ) => requirePermissionOf(options.permissions, credentials, permission);

  const detailDeps = { catalogue, engine, store };

  const readOnly = { readOnly: true, idempotent: true, destructive: false };
  const destructive = { readOnly: false, idempotent: false, destructive: true };

  actionsRegistry.register({
    name: 'list-failed-messages',
    title: 'List failed WhatsApp messages',
    description: [
      'Lists outbound WhatsApp messages that failed to be delivered, newest failure first by default, one page at a time.',
      'Each item has its id, recipient, campaign, template, the provider error (code, title, message), its category, its retryStatus and its attempt count.',
      'Use totalCount with limit/offset to page. Use get-failed-message with an id for the explanation, retry eligibility and attempt history.',
      FILTER_HELP,
      'sort is one of failedAt, errorCode, attempts, nextAutomaticRetryAt; order is asc or desc; limit is 1-200 (default 50).',
      VOCABULARY,
    ].join('\n'),
    attributes: readOnly,
    schema: {
      input: z =>
        z.object({
          ...filterShape(z),
          sort: z.enum(SORT_FIELDS).optional().describe('Sort field'),
          order: z.enum(['asc', 'desc']).optional().describe('Sort order'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(200)
            .optional()
            .describe('Page size, 1-200, default 50'),
          offset: z
            .number()
            .int()
            .min(0)
            .optional()
            .describe('Items to skip, default 0'),
        }),
      output: z =>
        z.object({
          items: z
            .array(z.object({ id: z.string() }).passthrough())
            .describe('Failed messages of this page'),
          totalCount: z
            .number()
            .describe('Messages matching the filters, over all pages'),
        }),
    },
    action: async ({ input, credentials }) => {
      await requirePermission(credentials, failedMessagesReadPermission);
      const page = await store.listMessages(parseListQuery(defined(input)));
      return { output: json(page) };
    },
  });

  actionsRegistry.register({
    name: 'get-failed-message',
    title: 'Get one failed WhatsApp message with its history',
    description: [
      'Returns one failed WhatsApp message by id, with:',
      'explanation (what the provider error means and what to do about it, in plain words),',
      'eligibility (canRetry, and when not, the reason and the earliest time a retry makes sense),',
      'and attempts (every retry so far: trigger, actor, outcome, error, times).',
      'Fails with a not-found error for an unknown id.',
      VOCABULARY,
    ].join('\n'),
    attributes: readOnly,
    schema: {
      input: z =>
        z.object({
          id: z.string().min(1).describe('Id of the failed message'),
        }),
      output: z =>
        z
          .object({
            id: z.string(),
            explanation: z.object({ meaning: z.string(), action: z.string() }),
            eligibility: z
              .object({ canRetry: z.boolean() })
              .passthrough()
              .describe('Whether a retry is allowed now, and why not'),
            attempts: z
              .array(z.object({ id: z.string() }).passthrough())
              .describe('Retry attempts, oldest first'),
          })
          .passthrough(),
    },
    action: async ({ input, credentials }) => {
      await requirePermission(credentials, failedMessagesReadPermission);
      return {
        output: json(await readMessageDetail(input.id, detailDeps)),
      };
    },
  });

  actionsRegistry.register({
    name: 'get-failed-messages-summary',
    title: 'Summarize failed WhatsApp messages',
    description: [
      'Counts failed WhatsApp messages matching the filters: total, and how many are retryable, nonRetryable and businessLogic (by category).',
      FILTER_HELP,
      VOCABULARY,
    ].join('\n'),
    attributes: readOnly,
    schema: {
      input: z => z.object(filterShape(z)),
      output: z =>
        z.object({
          total: z.number(),
          retryable: z.number(),
          nonRetryable: z.number(),
          businessLogic: z.number(),
        }),
    },
    action: async ({ input, credentials }) => {
      await requirePermission(credentials, failedMessagesReadPermission);
      const summary = await store.summarize(parseFilterQuery(defined(input)));
      return { output: json(summary) };
    },
  });

  actionsRegistry.register({
    name: 'get-retry-statistics',
    title: 'Get retry statistics of failed WhatsApp messages',
    description: [
      'Statistics of retries of failed WhatsApp messages over a window of whole UTC days:',
      'how many retries were made and how many succeeded or failed, success rates by trigger',
      '(automatic, manual, bulk, scaffolder, action) and by error code, failures per error code, and a trend per day or week.',
      'from/to are ISO 8601 dates (default: the last 30 days up to today); the window may span at most 400 days.',
      'bucket is "day" (default) or "week".',
    ].join('\n'),
    attributes: readOnly,
    schema: {
      input: z =>
        z.object({
          from: z
            .string()
            .optional()
            .describe('First day, ISO 8601 date (e.g. 2026-11-01)'),
          to: z.string().optional().describe('Last day, ISO 8601 date'),
          bucket: z
            .enum(['day', 'week'])
            .optional()
            .describe('Size of a trend bucket, default day'),
        }),
      output: z => z.object({ from: z.string(), to: z.string() }).passthrough(),
    },
    action: async ({ input, credentials }) => {
      await requirePermission(
        credentials,
        failedMessagesStatisticsReadPermission,
      );
      const statistics = await computeStatistics(
        store,
        catalogue,
        parseStatisticsQuery(defined(input)),
      );
      return { output: json(statistics) };
    },
  });

  actionsRegistry.register({
    name: 'retry-failed-message',
    title: 'Retry one failed WhatsApp message',
    description: [
      'Sends one failed WhatsApp message again, now. THIS SENDS A REAL WHATSAPP MESSAGE to the recipient, and cannot be undone.',
      'Check get-failed-message first: only retry when eligibility.canRetry is true, or when a person explicitly asked to force it.',
      'The retry is refused (conflict error, with the reason) when the message is not eligible, e.g. a non-retryable error,',
      'a wait that has not passed yet, a retry that already succeeded or is in progress, or a newer message to the same recipient that was delivered.',
      'force: true overrides the eligibility rules that allow it (not a retry already in progress); give a reason when forcing.',
      'Returns the attempt (outcome "succeeded", "failed" or "outcome-unknown") and the message after the attempt.',
      'The attempt is recorded with trigger "action" and the calling user as actor.',
    ].join('\n'),
    attributes: destructive,
    schema: {
      input: z =>
        z.object({
          id: z.string().min(1).describe('Id of the failed message'),
          force: z
            .boolean()
            .optional()
            .describe('Retry even if the eligibility rules say not now'),
          reason: z
            .string()
            .max(500)
            .optional()
            .describe('Why it is retried; recorded with the attempt'),
        }),
      output: z =>
        z.object({
          attempt: z
            .object({ id: z.string(), outcome: z.string() })
            .passthrough(),
          message: z.object({ id: z.string() }).passthrough(),
        }),
    },
    action: async ({ input, credentials }) => {
      await requirePermission(credentials, failedMessagesRetryPermission);
      const { id, ...body } = input;
      const { force, reason } = parseRetryBody(defined(body));
      const actor = principalRef(credentials);
      const { attempt, message, known } = await audited(
        auditor,
        {
          eventId: 'retry',
          meta: { messageId: id, actor, force, reason, via: 'action' },
        },
        () => engine.retryById(id, { trigger: 'action', actor, force, reason }),
      );
      return {
        output: json({
          attempt,
          message: await describeMessage(message, detailDeps, known),
        }),
      };
    },
  });

  actionsRegistry.register({
    name: 'start-bulk-retry',
    title: 'Start a bulk retry of failed WhatsApp messages',
    description: [
      'Retries many failed WhatsApp messages in the background. THIS SENDS REAL WHATSAPP MESSAGES to every eligible recipient.',
      'Give exactly one of ids (a list of message ids) or filter (the filters of list-failed-messages; {} means every message).',
      'Run it with dryRun: true first: it sends nothing and returns how many messages match (matched), how many would be retried (eligible)',
      'and why the others would be skipped. Only then start it for real, ideally after a person confirmed the numbers.',
      'Without dryRun it returns { bulkRetry } with its id, status and counters (total, processed, succeeded, failed, skipped);',
      'messages that are not eligible when their turn comes are skipped, never forced.',
      FILTER_HELP,
      VOCABULARY,
    ].join('\n'),
    attributes: destructive,
    schema: {
      input: z =>
        z.object({
          ids: z
            .array(z.string().min(1).max(36))
            .min(1)
            .max(10_000)
            .optional()
            .describe('Ids of the messages to retry'),
          filter: z
            .object(filterShape(z))
            .optional()
            .describe('Retry the messages matching these filters'),
          dryRun: z
            .boolean()
            .optional()
            .describe('Only report what would happen; sends nothing'),
          reason: z
            .string()
            .max(500)
            .optional()
            .describe('Why the messages are retried; recorded with the run'),
        }),
      output: z =>
        z.object({
          matched: z.number().optional().describe('Dry run: messages matched'),
          eligible: z
            .number()
            .optional()
            .describe('Dry run: messages that would be retried'),
          skipped: z
            .array(z.object({ reason: z.string(), count: z.number() }))
            .optional()
            .describe('Dry run: why the others would be skipped'),
          bulkRetry: z
            .object({ id: z.string(), status: z.string() })
            .passthrough()
            .optional()
            .describe('The started bulk retry'),
        }),
    },
    action: async ({ input, credentials }) => {
      await requirePermission(credentials, failedMessagesBulkRetryPermission);
      const { scope, dryRun, reason } = parseBulkRetryBody(
        defined({
          ...input,
          filter: input.filter ? defined(input.filter) : undefined,
        }),
      );
      if (dryRun) {
        return { output: json(await bulkRetries.preview(scope)) };
      }
      const createdBy = principalRef(credentials) ?? 'unknown';
      const bulkRetry = await audited(
        auditor,
        {
          eventId: 'bulk-retry-start',
          meta: {
            scope: 'ids' in scope ? { ids: scope.ids.length } : 'filter',
            actor: createdBy,
            reason,
            via: 'action',
          },
        },
        () =>
          bulkRetries.start({ scope, reason, createdBy, trigger: 'action' }),
      );
      return { output: { bulkRetry: json(bulkRetry) } };
    },
  });
}

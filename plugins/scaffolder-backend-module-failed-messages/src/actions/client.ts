import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AGE_FILTERS,
  CATEGORIES,
  FailedMessageFilter,
  RETRY_STATUSES,
} from '@internal/plugin-failed-messages-common';
import { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';

/** The zod implementation the scaffolder hands to action schemas. */
type ZodImpl = Parameters<
  NonNullable<TemplateActionOptions['schema']>['input'] extends infer S
    ? S extends { [key in string]: infer F }
      ? F extends (...args: any[]) => any
        ? F
        : never
      : never
    : never
>[0];

/** The id of the plugin these actions call. */
export const FAILED_MESSAGES_PLUGIN_ID = 'failed-messages';

/** What the actions need to reach the failed-messages backend. */
export interface FailedMessagesActionsOptions {
  discovery: DiscoveryService;
  auth: AuthService;
}

/** The filter input shared by the actions: the list's query keys. */
export const filterInputSchema = (z: ZodImpl) =>
  z
    .object({
      age: z
        .enum(AGE_FILTERS)
        .optional()
        .describe('Preset window by failure time'),
      from: z
        .string()
        .optional()
        .describe('Failures at or after this time (ISO 8601)'),
      to: z
        .string()
        .optional()
        .describe('Failures at or before this time (ISO 8601)'),
      category: z
        .array(z.enum(CATEGORIES))
        .optional()
        .describe('Error categories'),
      errorCode: z
        .array(z.string())
        .optional()
        .describe('Provider error codes'),
      retryStatus: z
        .array(z.enum(RETRY_STATUSES))
        .optional()
        .describe('Retry statuses'),
      campaign: z.string().optional().describe('Campaign'),
      q: z.string().optional().describe('Free text'),
    })
    .describe(
      'The list filters: age, from, to, category, errorCode, retryStatus, campaign, q',
    );

/**
 * Drops the keys a template leaves empty (blank strings, empty arrays), so
 * that an unset form field does not narrow or break the filter.
 */
export function cleanFilter(
  filter: FailedMessageFilter | undefined,
): FailedMessageFilter {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter ?? {})) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && value.trim() === '') continue;
    if (Array.isArray(value)) {
      const items = value.filter(v => typeof v === 'string' && v.trim() !== '');
      if (items.length === 0) continue;
      result[key] = items;
      continue;
    }
    result[key] = value;
  }
  return result as FailedMessageFilter;
}

/** The filter as query parameters, arrays as repeated keys. */
export function filterToQuery(filter: FailedMessageFilter): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(cleanFilter(filter))) {
    if (Array.isArray(value)) {
      for (const item of value) params.append(key, String(item));
    } else {
      params.append(key, String(value));
    }
  }
  return params.toString();
}

/**
 * Calls the failed-messages backend with the credentials of the user who runs
 * the template, so that the user's permissions decide.
 */
export async function callFailedMessages<T>(
  options: FailedMessagesActionsOptions & {
    credentials: BackstageCredentials;
    path: string;
    method?: 'GET' | 'POST';
    body?: unknown;
  },
): Promise<{ status: number; body: T }> {
  const { discovery, auth, credentials, path, method = 'GET', body } = options;
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: FAILED_MESSAGES_PLUGIN_ID,
  });
  const baseUrl = await discovery.getBaseUrl(FAILED_MESSAGES_PLUGIN_ID);
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let parsed: any = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = parsed?.error;
    const detail =
      error && typeof error.message === 'string'
        ? `${error.name ? `${error.name}: ` : ''}${error.message}`
        : text || response.statusText;
    throw new Error(
      `failed-messages ${method} ${path} failed with ${response.status}: ${detail}`,
    );
  }
  return { status: response.status, body: parsed as T };
}

import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ForwardedError, ResponseError } from '@backstage/errors';
import {
  createFailedMessageFilterShape,
  createFailedMessagesHttpClient,
  FAILED_MESSAGE_FILTER_KEYS,
  FailedMessageFilter,
  FailedMessagesHttpClient,
} from '@msgops/plugin-failed-messages-common';
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

/**
 * What the actions need to reach the failed-messages backend.
 *
 * @public
 */
export interface FailedMessagesActionsOptions {
  /** Finds the failed-messages backend. */
  discovery: DiscoveryService;
  /** Issues the token that acts as the user who runs the template. */
  auth: AuthService;
}

/**
 * The filter input shared by the actions: the list's query keys. Campaign
 * names, error codes and search text may be all digits, which a template's
 * YAML or its rendering can turn into numbers: both are accepted, and sent
 * as text by {@link cleanFilter}.
 */
export const filterInputSchema = (z: ZodImpl) =>
  z
    .object(createFailedMessageFilterShape(z, { fromTemplate: true }))
    .describe(`The list filters: ${FAILED_MESSAGE_FILTER_KEYS.join(', ')}`);

/** The filter as the actions receive it, before {@link cleanFilter}. */
export type FilterInput = {
  [key in keyof FailedMessageFilter]?: unknown;
};

/**
 * Turns numbers into text and drops the keys a template leaves empty (blank
 * strings, empty arrays), so that an unset form field does not narrow or
 * break the filter.
 */
export function cleanFilter(
  filter: FilterInput | undefined,
): FailedMessageFilter {
  const text = (value: unknown) =>
    typeof value === 'number' ? String(value) : value;
  const isPresent = (value: unknown): value is string =>
    typeof value === 'string' && value.trim() !== '';

  const result: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(filter ?? {})) {
    if (Array.isArray(value)) {
      const items = value.map(text).filter(isPresent);
      if (items.length > 0) result[key] = items;
    } else {
      const item = text(value);
      if (isPresent(item)) result[key] = item;
    }
  }
  return result as FailedMessageFilter;
}

/**
 * A client of the failed-messages backend, typed by its OpenAPI document, that
 * acts with the credentials of the user who runs the template, so that the
 * user's permissions decide. Answers other than 2xx reject with a
 * `ResponseError` carrying the backend's message.
 */
export async function failedMessagesClientFor(
  options: FailedMessagesActionsOptions & {
    credentials: BackstageCredentials;
  },
): Promise<FailedMessagesHttpClient> {
  const { discovery, auth, credentials } = options;
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: FAILED_MESSAGES_PLUGIN_ID,
  });
  return createFailedMessagesHttpClient({
    baseUrl: await discovery.getBaseUrl(FAILED_MESSAGES_PLUGIN_ID),
    headers: { Authorization: `Bearer ${token}` },
  });
}

/**
 * Rethrows a failed answer with the backend's reason in its message: the
 * scaffolder reports only a failed step's error name and message, and a
 * `ResponseError`'s message names only the status. The backend error's
 * name is kept.
 */
export function explainFailure(error: unknown): never {
  if (error instanceof ResponseError) {
    throw new ForwardedError(
      `failed-messages answered ${error.statusCode} ${error.statusText}`,
      error.cause,
    );
  }
  throw error;
}

import { ResponseError } from '@backstage/errors';
import createClient, { Client, Middleware } from 'openapi-fetch';
import type { paths } from './schema/openapi.generated';

export type { components, operations, paths } from './schema/openapi.generated';

/**
 * A client of the failed-messages API typed by its OpenAPI document: paths,
 * parameters, bodies and answers all come from the generated `paths`.
 *
 * @public
 */
export type FailedMessagesHttpClient = Client<paths>;

/**
 * A query string as the backend reads it, without the leading `?`: arrays as
 * repeated keys (`category=a&category=b`); absent and blank values left out,
 * as the backend refuses an empty filter value.
 *
 * @public
 */
export function toQueryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    for (const item of values) {
      if (item !== undefined && item !== null && item !== '') {
        params.append(key, String(item));
      }
    }
  }
  return params.toString();
}

/** Carries the backend's error body (e.g. why a retry is not allowed) to the caller. */
const throwResponseErrors: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return undefined;
  },
};

/**
 * Creates a {@link FailedMessagesHttpClient} for the plugin's base URL (from
 * the discovery service or API). Answers other than 2xx reject with
 * Backstage's `ResponseError`.
 *
 * @public
 */
export function createFailedMessagesHttpClient(options: {
  baseUrl: string;
  /** Defaults to the global fetch; in an app, the fetch API, which signs requests. */
  fetchApi?: { fetch: typeof fetch };
  headers?: Record<string, string>;
}): FailedMessagesHttpClient {
  const send = options.fetchApi?.fetch ?? ((input, init) => fetch(input, init));
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    // Handed on as URL and init, not as openapi-fetch's Request: the app's
    // fetch API builds Requests from its input more than once, which a
    // Request whose body has been read cannot be.
    fetch: async request =>
      send(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body ? await request.text() : undefined,
        signal: request.signal,
      }),
    headers: options.headers,
    querySerializer: toQueryString,
  });
  client.use(throwResponseErrors);
  return client;
}

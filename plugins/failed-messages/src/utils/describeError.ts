import { ResponseError } from '@backstage/errors';

/**
 * The message to show for a failed request: the backend's own words (e.g. why
 * a message cannot be retried) rather than only the HTTP status.
 */
export function describeError(error: Error): string {
  if (error instanceof ResponseError && error.cause?.message) {
    return error.cause.message;
  }
  return error.message;
}

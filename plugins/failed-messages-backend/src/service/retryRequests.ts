import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { operations } from '@msgops/plugin-failed-messages-common';
import { BulkRetryScope } from '../database/FailedMessageStore';
import { toMessageFilter } from './queryParameters';

/** The body of `POST /messages/:id/retry`, which may be left out. */
export type RetryBody = NonNullable<
  operations['RetryMessage']['requestBody']
>['content']['application/json'];

/** The body of `POST /bulk-retries`. */
export type BulkRetryBody =
  operations['StartBulkRetry']['requestBody']['content']['application/json'];

/** A retry request checked by the document (or an action's schema); no force by default. */
export function readRetryBody(body: RetryBody | undefined) {
  return { force: body?.force ?? false, reason: body?.reason ?? null };
}

/**
 * A forced retry overrides what says not to send (a wait, an unknown outcome,
 * a newer delivery, a business rule), so whoever forces says why it is safe:
 * the reason is audited and shown in the timeline. Checked after the force
 * permission, so that those who may not force are told that first.
 */
export function requireReasonToForce(retry: {
  force: boolean;
  reason: string | null;
}): void {
  if (retry.force && !retry.reason?.trim()) {
    throw new InputError(
      'Invalid retry request: a forced retry needs a reason (why sending again is safe)',
    );
  }
}

/**
 * A bulk retry request checked by the document (or an action's schema), with
 * the rules it cannot say: listed ids or a filter, not both.
 */
export function readBulkRetryBody({
  ids,
  filter,
  dryRun,
  reason,
}: BulkRetryBody): {
  scope: BulkRetryScope;
  dryRun: boolean;
  reason: string | null;
} {
  if ((ids === undefined) === (filter === undefined)) {
    throw new InputError(
      'Invalid bulk retry: give either ids or filter (use filter: {} for every message)',
    );
  }
  return {
    scope: ids ? { ids } : { filter: toMessageFilter(filter!) },
    dryRun: dryRun ?? false,
    reason: reason ?? null,
  };
}

/** Who acts: a user entity ref, or the subject of a calling service. */
export function principalRef(credentials: BackstageCredentials): string | null {
  const { principal } = credentials as BackstageCredentials<any>;
  if (principal?.type === 'user') {
    return principal.userEntityRef;
  }
  if (principal?.type === 'service') {
    return principal.subject;
  }
  return null;
}

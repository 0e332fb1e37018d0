import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { BulkRetryScope } from '../database/FailedMessageStore';
import { parseFilterQuery } from './queryParameters';
import { issueField } from './zodIssues';

const retryBodySchema = z
  .object({
    force: z.boolean().default(false),
    reason: z.string().max(500).nullable().default(null),
  })
  .strict();

/** `POST /messages/:id/retry` bodies; an empty body means no force. */
export function parseRetryBody(body: unknown) {
  const parsed = retryBodySchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `Invalid retry request, ${issueField(issue)}: ${issue.message}`,
    );
  }
  return parsed.data;
}

const bulkBodySchema = z
  .object({
    ids: z.array(z.string().min(1).max(36)).min(1).max(10_000).optional(),
    filter: z.record(z.string(), z.unknown()).optional(),
    dryRun: z.boolean().default(false),
    reason: z.string().max(500).nullable().default(null),
  })
  .strict();

/** `POST /bulk-retries` bodies: listed ids or a filter, not both. */
export function parseBulkRetryBody(body: unknown): {
  scope: BulkRetryScope;
  dryRun: boolean;
  reason: string | null;
} {
  const parsed = bulkBodySchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `Invalid bulk retry, ${issueField(issue)}: ${issue.message}`,
    );
  }
  const { ids, filter, dryRun, reason } = parsed.data;
  if ((ids === undefined) === (filter === undefined)) {
    throw new InputError(
      'Invalid bulk retry: give either ids or filter (use filter: {} for every message)',
    );
  }
  return {
    scope: ids ? { ids } : { filter: parseFilterQuery(filter) },
    dryRun,
    reason,
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

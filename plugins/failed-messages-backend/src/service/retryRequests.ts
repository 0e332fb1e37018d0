import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { z } from 'zod';

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
    const field =
      issue.code === 'unrecognized_keys'
        ? issue.keys.join(', ')
        : issue.path.join('.');
    throw new InputError(`Invalid retry request, ${field}: ${issue.message}`);
  }
  return parsed.data;
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

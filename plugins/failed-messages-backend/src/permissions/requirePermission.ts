import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  failedMessagesForceRetryPermission,
  failedMessagesRetryPermission,
} from '@msgops/plugin-failed-messages-common';
import { Request } from 'express';

/** Throws 401 without credentials and 403, naming the permission, on deny. */
export type PermissionGuard = (
  req: Request<any, any, any, any, any>,
  permission: BasicPermission,
) => Promise<void>;

/** Throws 403, naming the permission, unless the caller holds it. */
export async function requirePermissionOf(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: BasicPermission,
): Promise<void> {
  const [decision] = await permissions.authorize([{ permission }], {
    credentials,
  });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `Not allowed: this needs the permission ${permission.name}`,
    );
  }
}

/**
 * A retry of one message needs the retry permission; overriding its
 * eligibility with `force` also needs the force-retry permission, so those
 * who may only retry get to resend what is eligible.
 */
export async function requireRetryPermissionOf(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  force: boolean,
): Promise<void> {
  await requirePermissionOf(
    permissions,
    credentials,
    failedMessagesRetryPermission,
  );
  if (force) {
    await requirePermissionOf(
      permissions,
      credentials,
      failedMessagesForceRetryPermission,
    );
  }
}

export function createPermissionGuard(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}): PermissionGuard {
  return async (req, permission) =>
    requirePermissionOf(
      options.permissions,
      await options.httpAuth.credentials(req),
      permission,
    );
}

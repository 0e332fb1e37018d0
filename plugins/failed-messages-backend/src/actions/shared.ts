import {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { BasicPermission } from '@backstage/plugin-permission-common';
import { ErrorCodeCatalogue } from '@internal/plugin-failed-messages-common';
import { FailedMessageStore } from '../database/FailedMessageStore';
import { requirePermissionOf } from '../permissions/requirePermission';
import { BulkRetries } from '../retry/BulkRetries';
import { RetryEngine } from '../retry/RetryEngine';

export interface FailedMessagesActionsOptions {
  actionsRegistry: ActionsRegistryService;
  store: FailedMessageStore;
  engine: RetryEngine;
  bulkRetries: BulkRetries;
  catalogue: ErrorCodeCatalogue;
  permissions: PermissionsService;
  auditor: AuditorService;
}

export const READ_ONLY = {
  readOnly: true,
  idempotent: true,
  destructive: false,
};
export const DESTRUCTIVE = {
  readOnly: false,
  idempotent: false,
  destructive: true,
};

/**
 * Checks the caller's permission as the HTTP routes do: the registry's
 * visibility check hides an action from those without it, this one refuses
 * a call naming the permission.
 */
export function requirePermission(
  options: FailedMessagesActionsOptions,
  credentials: BackstageCredentials,
  permission: BasicPermission,
) {
  return requirePermissionOf(options.permissions, credentials, permission);
}

/** Plain JSON for the output, as an MCP client receives it. */
export function json<T>(value: T): any {
  return JSON.parse(JSON.stringify(value));
}

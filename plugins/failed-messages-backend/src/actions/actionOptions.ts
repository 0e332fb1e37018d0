import {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { ErrorCodeCatalogue } from '@msgops/plugin-failed-messages-common';
import { FailedMessageStore } from '../database/FailedMessageStore';
import { BulkRetries } from '../retry/BulkRetries';
import { RetryEngine } from '../retry/RetryEngine';

/** What every failed-messages action is built with. */
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

/** Plain JSON for the output, as an MCP client receives it. */
export function json<T>(value: T): any {
  return JSON.parse(JSON.stringify(value));
}

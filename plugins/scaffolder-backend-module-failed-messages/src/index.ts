/**
 * Scaffolder actions for the failed-messages plugin: `failed-messages:retry`
 * and `failed-messages:summary`.
 *
 * @packageDocumentation
 */
export { scaffolderModuleFailedMessages as default } from './module';
export {
  createRetryFailedMessagesAction,
  createFailedMessagesSummaryAction,
} from './actions';
export type { FailedMessagesActionsOptions } from './actions';

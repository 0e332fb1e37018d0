export * from './FailedMessagesApi';
export { FailedMessagesClient } from './FailedMessagesClient';

/**
 * The Failed Messages page: why WhatsApp messages failed and how to recover them.
 *
 * The default export of `./alpha` is the plugin for the new frontend system.
 *
 * @packageDocumentation
 */
export { failedMessagesPlugin, FailedMessagesPage } from './plugin';
export * from './api';
export { failedMessagesTranslationRef } from './translation';

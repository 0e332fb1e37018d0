/**
 * The failed-messages backend plugin.
 *
 * @packageDocumentation
 */
export { failedMessagesPlugin as default } from './plugin';

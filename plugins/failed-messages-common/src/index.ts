/**
 * Shared vocabulary, permissions and the WhatsApp error-code catalogue of the
 * failed-messages plugins.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './filter';
export * from './permissions';
export * from './errorCodes';
export * from './signals';
export * from './client';

/** The store's tables, shared by KnexFailedMessageStore and its PostgreSQL statements. */
export const MESSAGES = 'failed_messages';
export const ATTEMPTS = 'failed_message_attempts';
export const AUTO_RUNS = 'failed_message_auto_retry_runs';
export const BULK = 'failed_message_bulk_retries';
export const BULK_ITEMS = 'failed_message_bulk_retry_items';

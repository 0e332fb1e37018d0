import { Knex } from 'knex';

/** The store's tables, shared by its operations. */
export const MESSAGES = 'failed_messages';
export const ATTEMPTS = 'failed_message_attempts';
export const AUTO_RUNS = 'failed_message_auto_retry_runs';
export const BULK = 'failed_message_bulk_retries';
export const BULK_ITEMS = 'failed_message_bulk_retry_items';
/** Every dismissal and reopening of a message, for its timeline. */
export const STATE_CHANGES = 'failed_message_state_changes';
/** Per business number: when its next send may start (SharedSendSlots). */
export const SEND_SLOTS = 'failed_message_send_slots';
/** Accounts whose automatic and bulk sends are paused. */
export const ACCOUNT_PAUSES = 'failed_message_account_pauses';
/** The text free-text search matches, one row per message, kept by triggers. */
export const SEARCH = 'failed_message_search';
/** Sent messages by wamid: the send log (SendLogStore). */
export const SENDS = 'failed_message_sends';
/** Sent, delivered, read and failed messages per day, number and campaign. */
export const DELIVERY_COUNTS = 'failed_message_delivery_counts';

/**
 * The most rows or ids one statement binds. SQLite refuses a statement with
 * more than 32,766 bound variables and PostgreSQL one with more than 65,535
 * parameters; 500 of the widest rows chunked by it (new messages, 17
 * columns) bind 8,500, far below both.
 */
export const MAX_ROWS_PER_STATEMENT = 500;

/**
 * Whether the store runs on PostgreSQL rather than SQLite: the operations
 * that have a statement of their own for it choose by this.
 */
export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

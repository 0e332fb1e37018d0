import {
  Category,
  FailedMessage,
  FailedMessagePage,
  FailedMessageSummary,
  ProviderError,
  RetryAttempt,
  RetryStatus,
  SortField,
  SortOrder,
} from '@internal/plugin-failed-messages-common';

/** A failure to store, already classified. */
export interface NewFailedMessage {
  channel: string;
  externalId: string | null;
  recipient: string;
  campaign: string | null;
  templateName: string | null;
  payload: Record<string, unknown> | null;
  error: ProviderError;
  category: Category;
  failedAt: Date;
  nextAutomaticRetryAt: Date | null;
}

/** The outcome of storing one report: new, or the record that already existed. */
export interface StoredReport {
  id: string;
  category: Category;
  created: boolean;
}

/** Filters with presets already resolved to absolute times. */
export interface MessageQueryFilter {
  from?: Date;
  to?: Date;
  category?: Category[];
  errorCode?: string[];
  retryStatus?: RetryStatus[];
  campaign?: string;
  q?: string;
}

export interface MessageListQuery {
  filter: MessageQueryFilter;
  sort: SortField;
  order: SortOrder;
  limit: number;
  offset: number;
}

/** A failed message together with the send request we stored for it. */
export interface FailedMessageRecord extends FailedMessage {
  payload: Record<string, unknown> | null;
}

/** Persistence of failed messages and their retry attempts. */
export interface FailedMessageStore {
  /**
   * Stores reports in one transaction. A report whose channel and external id
   * are already stored returns the existing record instead of a new one.
   */
  insertMessages(messages: NewFailedMessage[]): Promise<StoredReport[]>;

  listMessages(query: MessageListQuery): Promise<FailedMessagePage>;

  summarize(filter: MessageQueryFilter): Promise<FailedMessageSummary>;

  /** Every matching message, newest first, read in chunks so memory stays flat. */
  streamMessages(
    filter: MessageQueryFilter,
    chunkSize?: number,
  ): AsyncIterable<FailedMessage>;

  getMessage(id: string): Promise<FailedMessageRecord | undefined>;

  findMessageByExternalId(
    channel: string,
    externalId: string,
  ): Promise<FailedMessageRecord | undefined>;

  /** Attempts of a message, oldest first. */
  listAttempts(messageId: string): Promise<RetryAttempt[]>;

  /**
   * Marks the message whose retry was accepted under this provider message id
   * as resolved. Returns false when no attempt carries that id.
   */
  resolveByProviderMessageId(
    providerMessageId: string,
    at: Date,
  ): Promise<boolean>;

  /** Whether any message is stored at all (demo data seeds an empty store only). */
  isEmpty(): Promise<boolean>;
}

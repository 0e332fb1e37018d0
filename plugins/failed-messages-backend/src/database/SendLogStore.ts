import { JsonObject } from '@backstage/types';

/** One message a sending service sent, as `POST /sends` logs it. */
export interface LoggedSend {
  /** Meta's wamid. */
  externalId: string;
  phoneNumberId: string | null;
  recipient: string;
  campaign: string | null;
  templateName: string | null;
  payload: JsonObject;
  sentAt: Date;
}

/** What the send log holds of a message a `failed` status reported. */
export interface SendOfFailure {
  externalId: string;
  phoneNumberId: string | null;
  recipient: string | null;
  campaign: string | null;
  templateName: string | null;
  /** Null once past `sendLog.retentionDays`, or when only statuses were seen. */
  payload: JsonObject | null;
}

/** What recording a webhook delivery's statuses of logged sends did. */
export interface RecordedDeliveryStatuses {
  /** What the log holds of the sends `failed` statuses reported, by wamid. */
  failures: Map<string, SendOfFailure>;
  /** How many open failures a delivered send resolved (newer-delivery). */
  resolved: number;
}

/**
 * What a failure record made from a status alone lacks, as a later report
 * or the send log gives it.
 */
export interface FailureContent {
  externalId: string;
  payload: JsonObject;
  campaign: string | null;
  templateName: string | null;
  phoneNumberId: string | null;
}

/**
 * Seconds an error code waits before its first automatic retry; null where
 * its failures are not retried automatically (from the catalogue).
 */
export type AutomaticRetryWait = (errorCode: string) => number | null;

/** The statuses of a send the delivery counts count. */
export const DELIVERY_STATUSES = [
  'sent',
  'delivered',
  'read',
  'failed',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One status Meta reported of a message that is not one of our resends. */
export interface DeliveryStatusReport {
  externalId: string;
  status: DeliveryStatus;
  at: Date;
  recipient: string | null;
  phoneNumberId: string | null;
}

/** Messages sent, delivered, read and failed. */
export interface DeliveryCounts {
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

/** The delivery counts of a window, by business number and campaign. */
export interface DeliveryAggregates {
  /** Per number and campaign ('' for none), summed over the window's days. */
  counts: Array<DeliveryCounts & { phoneNumberId: string; campaign: string }>;
  /** Failures of the window's days later delivered after a retry, per campaign. */
  recoveredByCampaign: Array<{ campaign: string; recovered: number }>;
}

/** How long each point of a trend spans: a UTC day or an ISO week (from Monday). */
export type TrendBucket = 'day' | 'week';

/** The messages sent in one bucket of a trend, and how many Meta delivered and failed. */
export interface DeliveryTrendPoint {
  /** The bucket's first day, `YYYY-MM-DD`. */
  bucketStart: string;
  sent: number;
  delivered: number;
  failed: number;
}

/** The send log, the delivery counts of Meta's statuses, and their figures. */
export interface SendLogStore {
  /**
   * Logs sends; one already logged is left as it was. A send whose statuses
   * arrived first takes its campaign, number and day, and its counts move
   * there. Answers the sends a `failed` status had reported before they were
   * logged, so their failure records can be filled in.
   */
  logSends(sends: LoggedSend[]): Promise<LoggedSend[]>;

  /**
   * Counts each status once per message, under the day, number and campaign
   * of its send (a message first seen in a status is counted as sent then).
   * A logged send that reaches its recipient resolves the open failures of
   * its recipient and template that failed before it was sent
   * (newer-delivery). Answers, for the `failed` statuses among them, what
   * the log holds of their sends, keyed by wamid, and how many failures it
   * resolved.
   */
  recordDeliveryStatuses(
    statuses: DeliveryStatusReport[],
  ): Promise<RecordedDeliveryStatuses>;

  /**
   * Gives the WhatsApp failure records of these wamids that have no payload
   * the payload, and the campaign, template and number they lack; Meta's
   * error stays. A record never retried is scheduled for its automatic retry
   * as a new report would be. Returns how many it filled in.
   */
  fillInFailures(
    contents: FailureContent[],
    waitOf: AutomaticRetryWait,
  ): Promise<number>;

  /**
   * The delivery counts of the UTC days from `fromDay` to `toDay`, of one
   * campaign where `campaign` is given.
   */
  getDeliveryAggregates(window: {
    fromDay: string;
    toDay: string;
    campaign?: string;
  }): Promise<DeliveryAggregates>;

  /**
   * The delivery counts of the UTC days from `fromDay` to `toDay` summed
   * per bucket, oldest first; a bucket without counts is left out.
   */
  getDeliveryTrend(window: {
    fromDay: string;
    toDay: string;
    bucket: TrendBucket;
    campaign?: string;
  }): Promise<DeliveryTrendPoint[]>;

  /**
   * Folds the shards of each count of the days before `beforeDay` into one
   * row and drops counts that sum to zero (moved to a send's campaign once
   * it was logged), so the table keeps one row per day, number and campaign
   * once the day's statuses have arrived. Returns how many counts it folded.
   */
  compactDeliveryCounts(beforeDay: string): Promise<number>;

  /**
   * Nulls the payloads of sends before `payloadsBefore` and deletes the
   * sends before `rowsBefore`, in chunks; the counts stay. Returns how many
   * rows it changed.
   */
  expireSendLog(cutoffs: {
    payloadsBefore: Date;
    rowsBefore: Date;
  }): Promise<number>;
}

import { Knex } from 'knex';
import {
  AutomaticRetryWait,
  DeliveryAggregates,
  DeliveryStatusReport,
  DeliveryTrendPoint,
  FailureContent,
  LoggedSend,
  RecordedDeliveryStatuses,
  SendLogStore,
  TrendBucket,
} from './SendLogStore';
import { fillInFailures } from './operations/ingestion/fillInFailures';
import { compactDeliveryCounts } from './operations/sendLog/compactDeliveryCounts';
import { expireSendLog } from './operations/sendLog/expireSendLog';
import { getDeliveryAggregates } from './operations/sendLog/getDeliveryAggregates';
import { getDeliveryTrend } from './operations/sendLog/getDeliveryTrend';
import { logSends } from './operations/sendLog/logSends';
import { recordDeliveryStatuses } from './operations/sendLog/recordDeliveryStatuses';

/**
 * The {@link SendLogStore} part of KnexFailedMessageStore, which extends it:
 * a file of its own keeps each under 400 lines.
 */
export abstract class KnexSendLogStore implements SendLogStore {
  constructor(protected readonly db: Knex) {}

  logSends(sends: LoggedSend[]): Promise<LoggedSend[]> {
    return logSends(this.db, sends);
  }

  recordDeliveryStatuses(
    statuses: DeliveryStatusReport[],
  ): Promise<RecordedDeliveryStatuses> {
    return recordDeliveryStatuses(this.db, statuses);
  }

  fillInFailures(
    contents: FailureContent[],
    waitOf: AutomaticRetryWait,
  ): Promise<number> {
    return this.db.transaction(tx => fillInFailures(tx, contents, waitOf));
  }

  getDeliveryAggregates(window: {
    fromDay: string;
    toDay: string;
    campaign?: string;
  }): Promise<DeliveryAggregates> {
    return getDeliveryAggregates(this.db, window);
  }

  getDeliveryTrend(window: {
    fromDay: string;
    toDay: string;
    bucket: TrendBucket;
    campaign?: string;
  }): Promise<DeliveryTrendPoint[]> {
    return getDeliveryTrend(this.db, window);
  }

  compactDeliveryCounts(beforeDay: string): Promise<number> {
    return compactDeliveryCounts(this.db, beforeDay);
  }

  expireSendLog(cutoffs: {
    payloadsBefore: Date;
    rowsBefore: Date;
  }): Promise<number> {
    return expireSendLog(this.db, cutoffs);
  }
}

import {
  components,
  ErrorCodeCatalogue,
  ProviderError,
} from '@msgops/plugin-failed-messages-common';
import { DateTime } from 'luxon';
import {
  AutomaticRetryWait,
  NewFailedMessage,
  StoredBusinessNumber,
} from '../database/FailedMessageStore';
import { contentHash } from '../database/operations/ingestion/contentHash';
import { BusinessNumbers } from '../numbers/BusinessNumbers';

/** One failed send, as `POST /messages` takes it. */
export type FailureReport = components['schemas']['FailureReport'];

/** A failure as a report or a status tells it, before it is classified. */
export type ReportedFailure = Omit<
  NewFailedMessage,
  'channel' | 'category' | 'nextAutomaticRetryAt' | 'error'
> & { error: ProviderError };

/**
 * What the catalogue and the configured numbers make of a reported failure:
 * its category, the number it came from, and when the automatic run may
 * first retry it.
 */
export class FailureClassifier {
  constructor(
    private readonly catalogue: ErrorCodeCatalogue,
    private readonly numbers: BusinessNumbers,
  ) {}

  /** How long the automatic run waits after a failure with this code. */
  readonly automaticRetryWait: AutomaticRetryWait = code => {
    const info = this.catalogue.lookup(code);
    return info.autoRetry ? info.minWaitSeconds : null;
  };

  /** A `POST /messages` report, which the OpenAPI validator checked. */
  fromReport(report: FailureReport): NewFailedMessage {
    const message = this.classify({
      externalId: report.externalId ?? null,
      recipient: report.recipient,
      payload: report.payload ?? null,
      campaign: report.campaign ?? null,
      templateName: report.templateName ?? null,
      error: {
        code: String(report.error.code),
        title: report.error.title ?? null,
        message: report.error.message ?? null,
        details: report.error.details ?? null,
      },
      // The validator has checked the date-time; a batch holds a thousand.
      failedAt: report.failedAt ? new Date(report.failedAt) : new Date(),
      businessNumber: this.numberOf(
        report.phoneNumberId
          ? { phoneNumberId: report.phoneNumberId, displayPhoneNumber: null }
          : null,
      ),
    });
    // Without an external id, a report sent again is known by its content:
    // the number counts only where the report gave it, so reports stored
    // before numbers were known keep their hash.
    return report.externalId
      ? message
      : {
          ...message,
          contentHash: contentHash({
            ...message,
            businessNumber: report.phoneNumberId
              ? message.businessNumber
              : null,
          }),
        };
  }

  /**
   * The number a report or status came from: the one it names, else the
   * only configured number; none where several are configured.
   */
  numberOf(given: StoredBusinessNumber | null): StoredBusinessNumber | null {
    if (given) {
      return given;
    }
    const only = this.numbers.onlyNumber;
    return only
      ? { phoneNumberId: only.phoneNumberId, displayPhoneNumber: null }
      : null;
  }

  /** The failure with its category and first automatic retry time. */
  classify(message: ReportedFailure): NewFailedMessage {
    const info = this.catalogue.lookup(message.error.code);
    const canAutoRetry = info.autoRetry && message.payload !== null;
    return {
      ...message,
      channel: 'whatsapp',
      error: { ...message.error, title: message.error.title ?? info.title },
      category: info.category,
      nextAutomaticRetryAt: canAutoRetry
        ? DateTime.fromJSDate(message.failedAt)
            .plus({ seconds: info.minWaitSeconds })
            .toJSDate()
        : null,
    };
  }
}

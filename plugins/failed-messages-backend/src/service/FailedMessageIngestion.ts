import { ServiceUnavailableError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ErrorCodeCatalogue,
  operations,
  ProviderError,
} from '@msgops/plugin-failed-messages-common';
import {
  DeliveryStatusReport,
  FailedMessageIngestionStore,
  FailureContent,
  NewFailedMessage,
  SendLogStore,
  StoredReport,
} from '../database/FailedMessageStore';
import { RetryEngine } from '../retry/RetryEngine';
import { FailedMessagesSignals } from '../signals/FailedMessagesSignals';
import { MessageStatusEvent } from '../webhooks/statusWebhook';
import { FailureClassifier } from './FailureClassifier';
import { checkPayloadRecipient } from './payloadRecipient';

const UNEXPLAINED_FAILURE: ProviderError = {
  code: 'unknown',
  title: null,
  message: 'WhatsApp reported the message as failed without an error',
  details: null,
};

/** The statuses Meta reports for a send that its attempt records. */
const ATTEMPT_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;

function isAttemptStatus(
  status: string,
): status is (typeof ATTEMPT_STATUSES)[number] {
  return (ATTEMPT_STATUSES as readonly string[]).includes(status);
}

/** The body of `POST /messages`: one report, or a batch of them. */
export type ReportFailuresBody =
  operations['ReportFailures']['requestBody']['content']['application/json'];

/** The body of `POST /sends`. */
export type LogSendsBody =
  operations['LogSends']['requestBody']['content']['application/json'];

/** The outcome of one `POST /messages` call. */
export type ReportResult =
  | { kind: 'single'; report: StoredReport }
  | { kind: 'batch'; reports: StoredReport[] };

/** Turns failure reports and status webhooks into stored, classified records. */
export class FailedMessageIngestion {
  private readonly classifier: FailureClassifier;

  constructor(
    private readonly store: FailedMessageIngestionStore & SendLogStore,
    private readonly catalogue: ErrorCodeCatalogue,
    private readonly engine: RetryEngine,
    private readonly logger: LoggerService,
    private readonly signals?: FailedMessagesSignals,
  ) {
    this.classifier = new FailureClassifier(catalogue, engine.sending.numbers);
  }

  /**
   * Stores `POST /messages` bodies, one report or a batch, which the OpenAPI
   * validator checked: a batch with any invalid report was refused whole.
   */
  async report(body: ReportFailuresBody): Promise<ReportResult> {
    const isBatch = 'messages' in body;
    const reports = isBatch ? body.messages : [body];
    reports.forEach((report, index) =>
      checkPayloadRecipient(report, isBatch ? ` messages[${index}]` : ''),
    );
    const stored = await this.store.insertMessages(
      reports.map(report => this.classifier.fromReport(report)),
    );
    // A failure a status made first takes what the report knows of it.
    const filled = await this.fillIn(
      reports.flatMap((report, index) =>
        !stored[index].created && report.externalId && report.payload
          ? [
              {
                ...report,
                externalId: report.externalId,
                payload: report.payload,
              },
            ]
          : [],
      ),
    );
    this.announceCreated(stored, filled);
    return isBatch
      ? { kind: 'batch', reports: stored }
      : { kind: 'single', report: stored[0] };
  }

  /**
   * Applies one webhook delivery. Statuses of the services' sends are counted
   * (once each); failures we have not seen become records with the logged
   * send's content, or without content where none was logged (visible, not
   * resendable); redeliveries change nothing.
   * Statuses of our resends update their attempt: sent, delivered or read
   * resolves the message, a failure makes it failed again with the new error;
   * a failure is final for its provider id, whatever Meta reports after it.
   * A status of a resend whose answer was lost (outcome unknown, lapsed
   * claim) settles its attempt; only one whose send is still being recorded
   * is refused with 503, for Meta to deliver again.
   */
  async applyStatusEvents(events: MessageStatusEvent[]): Promise<void> {
    const newFailures: MessageStatusEvent[] = [];
    let unrecorded = 0;
    // A few statements for the whole delivery, however many statuses: most
    // are of messages that never failed, and Meta sends several for each.
    const resends = await this.store.findAttemptsByProviderMessageIds(
      events.map(event => event.providerMessageId),
    );
    const ours = await this.store.findExistingMessageIds(
      events
        .filter(event => !resends.has(event.providerMessageId))
        .flatMap(event => (event.callbackData ? [event.callbackData] : [])),
    );
    // Our resends carry our message id in biz_opaque_callback_data.
    const messageIdOf = (event: MessageStatusEvent) =>
      resends.get(event.providerMessageId)?.messageId ??
      (event.callbackData && ours.has(event.callbackData)
        ? event.callbackData
        : null);
    // Statuses of the services' sends are counted; our resends are the
    // retry figures' (recovered), not new sends.
    const { failures: sends, resolved } =
      await this.store.recordDeliveryStatuses(
        events.flatMap(event =>
          !messageIdOf(event) && isAttemptStatus(event.status)
            ? [this.deliveryStatusOf(event, event.status)]
            : [],
        ),
      );
    if (resolved > 0) {
      this.signals?.messagesChanged();
    }
    for (const event of events) {
      const messageId = messageIdOf(event);
      if (!messageId) {
        if (event.status === 'failed') {
          newFailures.push(event);
        }
        continue;
      }
      if (!isAttemptStatus(event.status)) {
        continue;
      }
      const left = await this.store.recordAttemptStatus({
        providerMessageId: event.providerMessageId,
        messageId,
        status: event.status,
        at: event.at,
        error:
          event.status === 'failed' ? event.error ?? UNEXPLAINED_FAILURE : null,
        now: new Date(),
      });
      if (left.kind === 'being-recorded') {
        unrecorded += 1;
      } else if (left.kind === 'resolve') {
        if (await this.store.resolveMessage(left.messageId, event.at)) {
          this.signals?.messagesChanged();
        }
      } else if (left.kind === 'fail') {
        await this.failResend(event);
      }
    }
    if (newFailures.length) {
      const failures = newFailures.map(event => {
        const send = sends.get(event.providerMessageId);
        return this.classifier.classify({
          externalId: event.providerMessageId,
          recipient: event.recipient ?? send?.recipient ?? 'unknown',
          payload: send?.payload ?? null,
          campaign: send?.campaign ?? null,
          templateName: send?.templateName ?? null,
          error: event.error ?? UNEXPLAINED_FAILURE,
          failedAt: event.at,
          businessNumber: this.classifier.numberOf(
            event.businessNumber ??
              (send?.phoneNumberId
                ? {
                    phoneNumberId: send.phoneNumberId,
                    displayPhoneNumber: null,
                  }
                : null),
          ),
        });
      });
      const stored = await this.store.insertMessages(failures);
      this.announceCreated(stored);
      await this.pauseAccountsOf(failures);
    }
    this.logger.debug(
      `Applied ${events.length} WhatsApp status event(s), ${newFailures.length} new failure(s)`,
    );
    if (unrecorded) {
      // The resend's answer is not stored yet; Meta delivers again later.
      throw new ServiceUnavailableError(
        `${unrecorded} status(es) belong to a resend that is still being recorded; deliver again later`,
      );
    }
  }

  /** A status of a service's send, for the delivery counts. */
  private deliveryStatusOf(
    event: MessageStatusEvent,
    status: DeliveryStatusReport['status'],
  ): DeliveryStatusReport {
    return {
      externalId: event.providerMessageId,
      status,
      at: event.at,
      recipient: event.recipient,
      phoneNumberId:
        this.classifier.numberOf(event.businessNumber)?.phoneNumberId ?? null,
    };
  }

  /**
   * Meta reports most failures only by webhook: an account-level error among
   * them (an expired token, a locked account) pauses the automatic and bulk
   * sends of its account, as it does when a send answers with it.
   */
  private async pauseAccountsOf(failures: NewFailedMessage[]): Promise<void> {
    const paused = new Set<string>();
    for (const failure of failures) {
      const account = this.engine.sending.accountOf(failure);
      if (
        account &&
        !paused.has(account) &&
        this.catalogue.lookup(failure.error.code).accountLevel
      ) {
        paused.add(account);
        await this.engine.sending.pauseOnAccountError(failure, failure.error);
      }
    }
  }

  /** Fails the message of an accepted resend again, with Meta's error. */
  private async failResend(event: MessageStatusEvent): Promise<void> {
    // Read again: recording the status may have just settled the attempt.
    const resend = (
      await this.store.findAttemptsByProviderMessageIds([
        event.providerMessageId,
      ])
    ).get(event.providerMessageId);
    if (resend) {
      await this.engine.applyResendFailure(
        resend.attempt,
        resend.messageId,
        resend.claimToken,
        event.error ?? UNEXPLAINED_FAILURE,
      );
    }
  }

  /**
   * Logs `POST /sends` bodies, which the OpenAPI validator checked; failures
   * a status reported before their send was logged are filled in.
   */
  async logSends(body: LogSendsBody): Promise<{ accepted: number }> {
    body.sends.forEach((send, index) =>
      checkPayloadRecipient(send, ` sends[${index}]`),
    );
    const now = new Date();
    const failedFirst = await this.store.logSends(
      body.sends.map(send => ({
        externalId: send.externalId,
        phoneNumberId:
          this.classifier.numberOf(
            send.phoneNumberId
              ? { phoneNumberId: send.phoneNumberId, displayPhoneNumber: null }
              : null,
          )?.phoneNumberId ?? null,
        recipient: send.recipient,
        campaign: send.campaign ?? null,
        templateName: send.templateName ?? null,
        payload: send.payload as FailureContent['payload'],
        // The validator has checked the date-time; luxon's parse would
        // allocate kilobytes per send, a thousand sends a call.
        sentAt: send.sentAt ? new Date(send.sentAt) : now,
      })),
    );
    this.announceCreated([], await this.fillIn(failedFirst));
    return { accepted: body.sends.length };
  }

  /** Fills in failure records a status made without content; how many. */
  private async fillIn(
    contents: Array<{
      externalId: string;
      payload: Record<string, unknown>;
      campaign?: string | null;
      templateName?: string | null;
      phoneNumberId?: string | null;
    }>,
  ): Promise<number> {
    if (!contents.length) {
      return 0;
    }
    return this.store.fillInFailures(
      contents.map(content => ({
        externalId: content.externalId,
        payload: content.payload as FailureContent['payload'],
        campaign: content.campaign ?? null,
        templateName: content.templateName ?? null,
        phoneNumberId: content.phoneNumberId ?? null,
      })),
      this.classifier.automaticRetryWait,
    );
  }

  /** A new report's first automatic retry waits this long after its failure. */
  private announceCreated(stored: StoredReport[], filledIn = 0) {
    // A report or delivery seen before stores nothing new.
    if (filledIn > 0 || stored.some(report => report.created)) {
      this.signals?.messagesChanged();
    }
  }
}

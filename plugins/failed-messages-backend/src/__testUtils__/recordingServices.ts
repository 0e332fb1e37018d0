import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  NotificationSendOptions,
  NotificationService,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  SignalPayload,
  SignalsService,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import { FailedMessagesSignal } from '@msgops/plugin-failed-messages-common';

/** A NotificationService that records what it is asked to send. */
export class RecordingNotificationService implements NotificationService {
  readonly sent: NotificationSendOptions[] = [];

  async send(options: NotificationSendOptions): Promise<void> {
    this.sent.push(options);
  }

  /** A factory installing this instance as every plugin's service. */
  factory() {
    return createServiceFactory({
      service: notificationService,
      deps: {},
      factory: () => this,
    });
  }
}

/** A SignalsService that records what it is asked to publish. */
export class RecordingSignalsService implements SignalsService {
  readonly published: SignalPayload[] = [];

  async publish(signal: SignalPayload): Promise<void> {
    this.published.push(signal);
  }

  /** The messages published on the failed-messages channel, in order. */
  messages(): FailedMessagesSignal[] {
    return this.published.map(
      signal => signal.message as unknown as FailedMessagesSignal,
    );
  }

  /** A factory installing this instance as every plugin's service. */
  factory() {
    return createServiceFactory({
      service: signalsServiceRef,
      deps: {},
      factory: () => this,
    });
  }
}

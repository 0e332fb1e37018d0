import { ProviderError } from '@msgops/plugin-failed-messages-common';

/**
 * One resend of a stored message.
 *
 * @public
 */
export interface SendRequest {
  /** Our id of the failed message; providers echo it on status callbacks. */
  messageId: string;
  recipient: string;
  /**
   * The business number to send from: the one that sent the original. Null
   * only where the deployment configures no number (a sender of its own then
   * uses its default).
   */
  phoneNumberId: string | null;
  /** The stored send request, resent as it was. */
  payload: Record<string, unknown>;
}

/**
 * What the provider answered.
 *
 * @public
 */
export type SendResult =
  | {
      outcome: 'accepted';
      /** The provider's id of the new send (a wamid on WhatsApp). */
      providerMessageId: string;
    }
  | {
      outcome: 'failed';
      error: ProviderError;
    };

/**
 * A provider that can resend a message. The WhatsApp Cloud API is built in;
 * a backend module can install another through
 * {@link failedMessagesSenderExtensionPoint}.
 *
 * @public
 */
export interface MessageSender {
  /**
   * Sends once. Resolves with the provider's verdict, including its errors;
   * failures before the request left (connection refused, name lookup, TLS)
   * resolve as failures with a temporary error code (`network-error`).
   * Throws whenever the provider may have taken the message without saying
   * so (a timeout or reset after the request was written, a cut-off body, a
   * gateway error without details, success without an id): the attempt is
   * then recorded as outcome-unknown and never resent blindly.
   */
  send(request: SendRequest): Promise<SendResult>;
}

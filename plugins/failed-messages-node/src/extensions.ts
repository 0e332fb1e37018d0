import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { MessageSender } from './MessageSender';

/**
 * Lets a backend module replace the provider that resends messages.
 *
 * @public
 */
export interface FailedMessagesSenderExtensionPoint {
  setSender(sender: MessageSender): void;
}

/**
 * Extension point of the failed-messages backend plugin for other providers
 * (Twilio, Infobip …).
 *
 * @public
 */
export const failedMessagesSenderExtensionPoint =
  createExtensionPoint<FailedMessagesSenderExtensionPoint>({
    id: 'failed-messages.sender',
  });

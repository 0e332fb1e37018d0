import { Config } from '@backstage/config';
import type { WebhookSettings } from '../config';

const KEYS = ['appSecret', 'verifyToken'] as const;
const DEVELOPMENT_SECRETS_KEY = 'failedMessages.developmentWebhookSecrets';

/**
 * Reads the webhook secrets, `failedMessages.whatsapp.appSecret` and
 * `verifyToken`.
 *
 * The development config commits its secrets under
 * `failedMessages.developmentWebhookSecrets`, never under `whatsapp`: Backstage
 * drops a value whose environment variable is unset, and the same key of a
 * lower config file would show through, so a production deployment missing
 * `WHATSAPP_APP_SECRET` would otherwise run on a secret anyone can read. As
 * Backstage's guest sign-in does, the development secrets serve only when
 * NODE_ENV is `development`; anywhere else a configured secret equal to one of
 * them is refused.
 */
export function readWebhookSettings(
  rootConfig: Config,
  options: {
    /** The sender that needs webhooks: without them the plugin refuses to start. */
    requiredBy?: string;
    isDevelopment: boolean;
  },
): WebhookSettings | undefined {
  const { requiredBy, isDevelopment } = options;
  const developmentSecrets = rootConfig.getOptionalConfig(
    DEVELOPMENT_SECRETS_KEY,
  );
  const developmentValues = KEYS.flatMap(
    key => developmentSecrets?.getOptionalString(key) ?? [],
  );

  const read = (key: (typeof KEYS)[number]) => {
    const path = `failedMessages.whatsapp.${key}`;
    const configured = rootConfig.getOptionalString(path);
    if (isDevelopment) {
      return configured ?? developmentSecrets?.getOptionalString(key);
    }
    if (configured && developmentValues.includes(configured)) {
      throw new Error(
        `Invalid config value ${path}: it equals a development secret from ${DEVELOPMENT_SECRETS_KEY}, which anyone who reads the repository knows; set a secret of your own`,
      );
    }
    return configured;
  };
  const appSecret = read('appSecret');
  const verifyToken = read('verifyToken');
  if (appSecret && verifyToken) {
    return { appSecret, verifyToken };
  }

  const missing = appSecret ? 'verifyToken' : 'appSecret';
  const reason = requiredBy
    ? `the '${requiredBy}' sender needs it`
    : `webhooks need both appSecret and verifyToken`;
  const unused =
    !isDevelopment && developmentValues.length
      ? ` (${DEVELOPMENT_SECRETS_KEY} serve only when NODE_ENV is development)`
      : '';
  if (requiredBy || appSecret || verifyToken) {
    throw new Error(
      `Missing required config value failedMessages.whatsapp.${missing}: ${reason}${unused}`,
    );
  }
  return undefined;
}

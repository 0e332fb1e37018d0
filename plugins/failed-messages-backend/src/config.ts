import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import { IANAZone } from 'luxon';
import {
  ErrorCodeOverride,
  ErrorCodeCatalogue,
} from '@msgops/plugin-failed-messages-common';
import { readWebhookSettings } from './webhooks/webhookSettings';
import {
  readWhatsAppAccounts,
  WhatsAppAccountSettings,
} from './numbers/readWhatsAppAccounts';

type SenderKind = 'whatsapp' | 'sandbox';

/** How the Cloud API is reached; the numbers and tokens are in `accounts`. */
export interface WhatsAppSettings {
  baseUrl: string;
  apiVersion: string;
  timeoutMs: number;
}

/** What webhooks need; absent when the app did not configure them (see readWebhookSettings). */
export interface WebhookSettings {
  appSecret: string;
  verifyToken: string;
}

export interface AutoRetrySettings {
  enabled: boolean;
  schedule: SchedulerServiceTaskScheduleDefinition;
  maxAttempts: number;
  /** The IANA zone a cron schedule is read in. */
  timezone: string;
}

export interface RetryLimits {
  ratePerSecond: number;
  concurrency: number;
  /** Retries one person may start a minute. */
  manualPerUserPerMinute: number;
}

/** Who is notified when retries end. */
export interface NotificationSettings {
  /** Notify the starter of a bulk retry when it ends. */
  bulkRetry: boolean;
  /** Notify the admins when an automatic run pauses or ends with failures. */
  autoRetry: boolean;
  /** Entity refs (users and groups) of the admin role. */
  adminRefs: string[];
}

export interface FailedMessagesSettings {
  autoRetry: AutoRetrySettings;
  retry: RetryLimits;
  retentionDays: number;
  /** Days a logged send keeps its payload. */
  sendLogRetentionDays: number;
  whatsapp?: WhatsAppSettings;
  /** Empty where none is configured (the sandbox sender may go without). */
  accounts: WhatsAppAccountSettings[];
  webhooks?: WebhookSettings;
  catalogue: ErrorCodeCatalogue;
  demoData: boolean;
  notifications: NotificationSettings;
}

const SENDERS: SenderKind[] = ['whatsapp', 'sandbox'];

/**
 * `autoRetry.schedule` as a full task schedule (`{ frequency, timeout }`) or,
 * as in the contract's example, just the frequency (`{ cron: '0 6 * * *' }`).
 */
function readSchedule(config: Config): SchedulerServiceTaskScheduleDefinition {
  if (config.has('frequency')) {
    return readSchedulerServiceTaskScheduleDefinitionFromConfig(config);
  }
  return readSchedulerServiceTaskScheduleDefinitionFromConfig(
    new ConfigReader({ frequency: config.get(), timeout: { hours: 2 } }),
  );
}

/** `autoRetry.timezone`: an IANA zone name, UTC when left out. */
function readTimezone(config: Config | undefined): string {
  const zone = config?.getOptionalString('timezone') ?? 'UTC';
  if (!IANAZone.isValidZone(zone)) {
    throw new Error(
      `Invalid config value failedMessages.autoRetry.timezone: '${zone}' is not an IANA time zone name such as UTC or Europe/Berlin`,
    );
  }
  return zone;
}

/**
 * Reads `failedMessages` from app-config. Fails at start-up, naming the key,
 * when the chosen sender lacks what it needs, so a misconfigured portal never
 * starts accepting retries it cannot perform. `isDevelopment` (NODE_ENV is
 * `development`, as Backstage's own development-only features decide it)
 * lets the committed development webhook secrets serve.
 */
export function readFailedMessagesSettings(
  rootConfig: Config,
  options: { isDevelopment: boolean } = {
    isDevelopment: process.env.NODE_ENV === 'development',
  },
): FailedMessagesSettings {
  const config = rootConfig.getOptionalConfig('failedMessages');
  const sender = (config?.getOptionalString('sender') ??
    'whatsapp') as SenderKind;
  if (!SENDERS.includes(sender)) {
    throw new Error(
      `Invalid failedMessages.sender '${sender}': must be one of ${SENDERS.join(
        ', ',
      )}`,
    );
  }

  const whatsappConfig = config?.getOptionalConfig('whatsapp');
  let whatsapp: WhatsAppSettings | undefined;
  if (sender === 'whatsapp') {
    whatsapp = {
      baseUrl:
        whatsappConfig?.getOptionalString('baseUrl') ??
        'https://graph.facebook.com',
      apiVersion: whatsappConfig?.getOptionalString('apiVersion') ?? 'v23.0',
      timeoutMs: whatsappConfig?.getOptionalNumber('timeoutMs') ?? 15_000,
    };
  }
  const overrides = config
    ?.getOptionalConfig('errorCodes')
    ?.get<Record<string, ErrorCodeOverride>>();

  const positive = (key: string, fallback: number) => {
    const value = config?.getOptionalNumber(key) ?? fallback;
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(
        `Invalid config value failedMessages.${key}: must be a number above 0, got ${value}`,
      );
    }
    return value;
  };
  // Attempts and parallel sends are counted in whole numbers; 0.5 would
  // round down to none and stall every run.
  const count = (key: string, fallback: number) => {
    const value = config?.getOptionalNumber(key) ?? fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `Invalid config value failedMessages.${key}: must be a whole number of at least 1, got ${value}`,
      );
    }
    return value;
  };
  const ratePerSecond = positive('retry.ratePerSecond', 20);
  const accounts = readWhatsAppAccounts(whatsappConfig, {
    requireTokens: sender === 'whatsapp',
    defaultRate: ratePerSecond,
    sender,
  });
  // Meta signs the status webhooks of real sends; the sandbox has none to
  // receive, but may take them to try the endpoint out.
  const webhooks = readWebhookSettings(rootConfig, {
    requiredBy: sender === 'whatsapp' ? sender : undefined,
    isDevelopment: options.isDevelopment,
  });

  const autoRetryConfig = config?.getOptionalConfig('autoRetry');
  const scheduleConfig = autoRetryConfig?.getOptionalConfig('schedule');

  return {
    autoRetry: {
      enabled: autoRetryConfig?.getOptionalBoolean('enabled') ?? true,
      // "Every 24 hours, in the morning." No initial delay: with one, the
      // scheduler would also run it right after every start.
      schedule: scheduleConfig
        ? readSchedule(scheduleConfig)
        : { frequency: { cron: '0 6 * * *' }, timeout: { hours: 2 } },
      maxAttempts: count('autoRetry.maxAttempts', 3),
      timezone: readTimezone(autoRetryConfig),
    },
    retry: {
      ratePerSecond,
      concurrency: count('retry.concurrency', 10),
      manualPerUserPerMinute: count('retry.manualPerUserPerMinute', 30),
    },
    retentionDays: positive('retentionDays', 90),
    sendLogRetentionDays: positive('sendLog.retentionDays', 7),
    whatsapp,
    accounts,
    webhooks,
    catalogue: new ErrorCodeCatalogue({ overrides }),
    demoData: config?.getOptionalBoolean('demoData') ?? false,
    notifications: {
      bulkRetry: config?.getOptionalBoolean('notifications.bulkRetry') ?? true,
      autoRetry: config?.getOptionalBoolean('notifications.autoRetry') ?? true,
      adminRefs: config?.getOptionalStringArray('roles.admin') ?? [],
    },
  };
}

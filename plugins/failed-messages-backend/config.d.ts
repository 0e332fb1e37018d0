import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the failed-messages plugins. */
  failedMessages?: {
    /**
     * Who holds which role. Each list holds entity refs matched against the
     * signed-in user's own ref and its ownership refs (the user's groups).
     */
    roles?: {
      admin?: string[];
      manager?: string[];
      agent?: string[];
    };

    /**
     * Which provider resends messages: `whatsapp` (the Cloud API, the default)
     * or `sandbox` (a simulated provider for demos and development).
     */
    sender?: 'whatsapp' | 'sandbox';

    /** The WhatsApp Business Cloud API: its accounts, numbers and webhooks. */
    whatsapp?: {
      /** Defaults to https://graph.facebook.com; a local server can stand in. */
      baseUrl?: string;
      /** Graph API version, for example v23.0. */
      apiVersion?: string;
      /**
       * One account with one number, instead of `accounts`: the business
       * phone number id messages are sent from.
       */
      phoneNumberId?: string;
      /** With `phoneNumberId`: its WhatsApp Business Account id. */
      wabaId?: string;
      /**
       * With `phoneNumberId`: the bearer token for the Cloud API.
       * @visibility secret
       */
      accessToken?: string;
      /**
       * One entry per WhatsApp Business Account (the scope of a token). A
       * resend goes out from the number that sent the original, with its
       * account's token.
       */
      accounts?: Array<{
        /** A short name shown in the API and on the page, e.g. eu-main. */
        id: string;
        /** The WhatsApp Business Account id (`entry[].id` in webhooks). */
        wabaId: string;
        /**
         * The account's bearer token (required by the `whatsapp` sender).
         * @visibility secret
         */
        accessToken?: string;
        numbers: Array<{
          /** Meta's phone number id (`metadata.phone_number_id`). */
          phoneNumberId: string;
          /** The name the page shows, e.g. Support DE. */
          label: string;
          /**
           * Sends a second from this number, across all replicas (default
           * `retry.ratePerSecond`): Meta's throughput limit is per number.
           */
          ratePerSecond?: number;
        }>;
      }>;
      /**
       * App secret that signs status webhooks (X-Hub-Signature-256).
       * @visibility secret
       */
      appSecret?: string;
      /**
       * Token Meta echoes in the webhook verification handshake.
       * @visibility secret
       */
      verifyToken?: string;
      /** Timeout of one send request, in milliseconds (default 15000). */
      timeoutMs?: number;
    };

    /**
     * Webhook secrets for a developer's machine, committed in the development
     * config. They stand in for `whatsapp.appSecret` and `verifyToken` only
     * when NODE_ENV is `development`; anywhere else the plugin ignores them
     * and refuses to start if `whatsapp.appSecret` or `verifyToken` equals
     * one of them.
     */
    developmentWebhookSecrets?: {
      /** @visibility secret */
      appSecret?: string;
      /** @visibility secret */
      verifyToken?: string;
    };

    /** The daily automatic retry run. */
    autoRetry?: {
      enabled?: boolean;
      /**
       * When it runs: a frequency such as `{ cron: '0 6 * * *' }` (the
       * default, every morning) or `{ hours: 24 }`, or a full task schedule
       * `{ frequency, timeout, initialDelay }`.
       */
      schedule?:
        | { cron: string }
        | { hours?: number; minutes?: number; days?: number }
        | SchedulerServiceTaskScheduleDefinitionConfig;
      /** Automatic attempts per message (default 3). */
      maxAttempts?: number;
      /**
       * The IANA time zone a cron schedule is read in (default `UTC`), e.g.
       * `Europe/Berlin`: `0 6 * * *` then runs at 06:00 Berlin time, summer
       * and winter.
       */
      timezone?: string;
    };

    /** Limits shared by bulk and automatic retries. */
    retry?: {
      /**
       * Sends per second from a number without a `ratePerSecond` of its own,
       * spread evenly (default 20). On PostgreSQL it holds across all
       * replicas; on SQLite (one process) in the process.
       */
      ratePerSecond?: number;
      /**
       * Sends in flight at once per number and process (default 10). A run claims this many messages
       * ahead of their sends; if its process dies, those claims lapse into
       * outcome-unknown for review with the sends in flight.
       */
      concurrency?: number;
      /**
       * Retries one person may start a minute, by hand or through an action
       * (default 30); more are answered 429 with Retry-After.
       */
      manualPerUserPerMinute?: number;
    };

    /** Records older than this many days are deleted (default 90). */
    retentionDays?: number;

    /** The log of sent messages (`POST /sends`). */
    sendLog?: {
      /**
       * Days a logged send keeps its payload, so a later failure of it can
       * be resent (default 7); then only its counts remain. The log's rows
       * go after `retentionDays`.
       */
      retentionDays?: number;
    };

    /** Per-code overrides of the error-code catalogue, keyed by code. */
    errorCodes?: {
      [code: string]: {
        category?: 'retryable' | 'non-retryable' | 'business-logic';
        title?: string;
        meaning?: string;
        action?: string;
        minWaitSeconds?: number;
        backoffFactor?: number;
        autoRetry?: boolean;
        accountLevel?: boolean;
        /**
         * Whether a person may retry it by hand: `allowed` now (after a
         * confirmation that repeats the rule), `after-wait` once its wait
         * has passed, `never` only as a forced retry. Must be `never` for a
         * non-retryable code.
         */
        manualRetry?: 'allowed' | 'after-wait' | 'never';
        /** What must change before a resend can work, in plain words. */
        rule?: string;
      };
    };

    /**
     * Notifications (through the notifications plugin) when retries end.
     */
    notifications?: {
      /**
       * Notify the user who started a bulk retry when it ends, with its
       * counts and a link to what failed (default true).
       */
      bulkRetry?: boolean;
      /**
       * Notify the admins (`roles.admin`) when an automatic run pauses or
       * ends with failures (default true).
       */
      autoRetry?: boolean;
    };

    /** Seeds realistic demo failures into an empty store at start-up. */
    demoData?: boolean;
  };
}

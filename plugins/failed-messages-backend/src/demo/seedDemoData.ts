import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { DateTime } from 'luxon';
import {
  AttemptTrigger,
  ErrorCodeCatalogue,
} from '@msgops/plugin-failed-messages-common';
import { SendResult } from '@msgops/plugin-failed-messages-node';
import {
  FailedMessageStore,
  NewFailedMessage,
} from '../database/FailedMessageStore';
import { RetryEngine } from '../retry/RetryEngine';
import { BusinessNumbers } from '../numbers/BusinessNumbers';
import { seededRandom } from './seededRandom';
import { seedDemoSends } from './demoSends';

export const DEMO_MESSAGE_COUNT = 320;

export const CAMPAIGNS = [
  { campaign: 'black-friday-2026', template: 'black_friday_deal' },
  { campaign: 'order-updates', template: 'order_update' },
  { campaign: 'appointment-reminders', template: 'appointment_reminder' },
  { campaign: 'welcome-series', template: 'welcome_offer' },
  { campaign: 'payment-reminders', template: 'payment_due' },
];

/**
 * Codes weighted roughly as they show up in a real sender's failures. The
 * Business Logic ones include rules that let a person resend at once
 * (131043, 132068, 190) and one that never does (131047).
 */
const CODES: [string, number][] = [
  ['130429', 14],
  ['131056', 8],
  ['131000', 8],
  ['131016', 5],
  ['2', 3],
  ['134101', 2],
  ['131049', 12],
  ['132015', 5],
  ['131047', 7],
  ['131048', 2],
  ['131043', 4],
  ['132068', 2],
  ['190', 2],
  ['131026', 10],
  ['131050', 6],
  ['132001', 3],
  ['132000', 2],
  ['131053', 3],
  ['100', 2],
  ['network-error', 4],
  ['http-5xx', 2],
];

/**
 * A number that is not in the demo configuration: its failures show how a
 * record from a number this deployment does not send from looks.
 */
const UNCONFIGURED_NUMBER = {
  phoneNumberId: '109999000000001',
  displayPhoneNumber: '+49 30 901820',
};

/**
 * Realistic failures across codes, categories, campaigns, ages and the
 * configured business numbers, with a few from a number not configured.
 */
export function createDemoMessages(
  catalogue: ErrorCodeCatalogue,
  now: DateTime,
  count = DEMO_MESSAGE_COUNT,
  numbers: BusinessNumbers = new BusinessNumbers([], 1),
): NewFailedMessage[] {
  const configured = numbers.numbers;
  const businessNumberOf = (index: number) => {
    if (!configured.length) {
      return null;
    }
    if (index % 40 === 39) {
      return UNCONFIGURED_NUMBER;
    }
    // The first number sends most, as a main support line does.
    const number =
      configured[(index * 7) % 10 < 5 ? 0 : index % configured.length];
    return { phoneNumberId: number.phoneNumberId, displayPhoneNumber: null };
  };
  const random = seededRandom(20261126);
  const totalWeight = CODES.reduce((sum, [, weight]) => sum + weight, 0);
  const pickCode = () => {
    let roll = random() * totalWeight;
    for (const [code, weight] of CODES) {
      roll -= weight;
      if (roll < 0) {
        return code;
      }
    }
    return CODES[0][0];
  };

  return Array.from({ length: count }, (_, index) => {
    const code = pickCode();
    const info = catalogue.lookup(code);
    const { campaign, template } = CAMPAIGNS[index % CAMPAIGNS.length];
    // Most failures are recent; a tail reaches back past 90 days.
    const ageHours = Math.floor(random() ** 2.5 * 24 * 100);
    const failedAt = now.minus({ hours: ageHours, minutes: index % 60 });
    const recipient = `+1650555${String(1000 + index).padStart(4, '0')}`;
    // About one in ten arrived only through a webhook: content unknown.
    const contentKnown = random() > 0.1;
    const payload = contentKnown
      ? {
          messaging_product: 'whatsapp',
          to: recipient,
          type: 'template',
          template: {
            name: template,
            language: { code: 'en_US' },
            components: [
              {
                type: 'body',
                parameters: [{ type: 'text', text: `Customer ${index + 1}` }],
              },
            ],
          },
        }
      : null;
    return {
      channel: 'whatsapp',
      externalId: `wamid.DEMO${String(index).padStart(6, '0')}`,
      recipient,
      campaign: contentKnown ? campaign : null,
      templateName: contentKnown ? template : null,
      payload,
      error: {
        code,
        title: info.title,
        message: `(#${code}) ${info.title}`,
        details: info.meaning,
      },
      category: info.category,
      failedAt: failedAt.toJSDate(),
      nextAutomaticRetryAt:
        info.autoRetry && contentKnown
          ? failedAt.plus({ seconds: info.minWaitSeconds }).toJSDate()
          : null,
      businessNumber: businessNumberOf(index),
    };
  });
}

const DEMO_ACTORS: Array<{ trigger: AttemptTrigger; actor: string | null }> = [
  { trigger: 'automatic', actor: null },
  { trigger: 'manual', actor: 'user:default/alex-agent' },
  { trigger: 'bulk', actor: 'user:default/ada-admin' },
];

export interface SeedDemoDataOptions {
  store: FailedMessageStore;
  catalogue: ErrorCodeCatalogue;
  logger: LoggerService;
  maxAutomaticAttempts: number;
  /** The configured numbers the demo failures were sent from. */
  numbers: BusinessNumbers;
}

/**
 * Gives some demo messages a retry history through the retry engine, like
 * real retries, with a stand-in for WhatsApp that answers as the history
 * calls for: a manual retry that WhatsApp accepted and delivered, a bulk one
 * that failed again, an automatic one that failed on several days until its
 * attempts were used up.
 */
async function addRetryHistory(
  options: SeedDemoDataOptions,
  seeded: Array<{ id: string; message: NewFailedMessage }>,
  now: DateTime,
) {
  const { store, catalogue, logger, maxAutomaticAttempts } = options;
  const random = seededRandom(4242);
  let clock = now;
  let answer: SendResult;
  const engine = new RetryEngine({
    store,
    catalogue,
    logger,
    maxAutomaticAttempts,
    clock: () => clock,
    numbers: options.numbers,
    sender: {
      async send() {
        clock = clock.plus({ seconds: 1 });
        return answer;
      },
    },
  });
  for (const [index, { id, message }] of seeded.entries()) {
    const { trigger, actor } = DEMO_ACTORS[index % DEMO_ACTORS.length];
    const failedAt = DateTime.fromJSDate(message.failedAt);
    // The last attempt six hours after the failure, or lately.
    const at = DateTime.max(
      failedAt.plus({ hours: 6 }),
      now.minus({ hours: 1 }),
    );
    const lastAt = at > now ? now.minus({ minutes: 30 }) : at;
    const delivered = random() < 0.5;
    answer = delivered
      ? {
          outcome: 'accepted',
          providerMessageId: `wamid.DEMORETRY${String(index).padStart(4, '0')}`,
        }
      : { outcome: 'failed', error: message.error };
    const attemptDays =
      trigger === 'automatic' && !delivered && random() < 0.3
        ? maxAutomaticAttempts
        : 1;
    let retried = false;
    for (let day = attemptDays - 1; day >= 0; day--) {
      clock = lastAt.minus({ days: day });
      if (clock <= failedAt) {
        // Not retried before it failed.
        continue;
      }
      try {
        await engine.retryById(id, {
          trigger,
          actor,
          force:
            trigger !== 'automatic' && message.category === 'business-logic',
          reason:
            trigger === 'manual' ? 'Customer asked for the order update' : null,
        });
        retried = true;
      } catch (error) {
        // The engine would not retry it then, as it would not for real.
        if (!(error instanceof ConflictError)) {
          throw error;
        }
      }
    }
    if (retried && delivered && random() < 0.7) {
      await store.resolveMessage(id, clock.plus({ minutes: 2 }).toJSDate());
    }
  }
}

/** Seeds demo failures once: only into an empty store. */
export async function seedDemoData(
  options: SeedDemoDataOptions,
): Promise<void> {
  if (!(await options.store.isEmpty())) {
    return;
  }
  const now = DateTime.utc();
  const messages = createDemoMessages(
    options.catalogue,
    now,
    DEMO_MESSAGE_COUNT,
    options.numbers,
  );
  const stored = await options.store.insertMessages(messages);
  // About a quarter of them were retried before; the store was empty, so
  // each report is stored as it was given.
  await addRetryHistory(
    options,
    stored
      .map((report, index) => ({ id: report.id, message: messages[index] }))
      .filter((_, index) => index % 4 === 1),
    now,
  );
  const sends = await seedDemoSends(
    options.store,
    messages,
    now,
    options.numbers,
  );
  options.logger.info(
    `Seeded ${messages.length} demo failed messages and ${sends} sends`,
  );
}

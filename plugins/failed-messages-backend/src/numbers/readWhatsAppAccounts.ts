import { Config } from '@backstage/config';

/** A business number messages are sent from. */
export interface BusinessNumberSettings {
  phoneNumberId: string;
  label: string;
  /** Sends a second from this number, across every replica. */
  ratePerSecond: number;
}

/** A WhatsApp Business Account: the scope of one access token. */
export interface WhatsAppAccountSettings {
  /** A short name shown in the API and on the page. */
  id: string;
  wabaId: string | null;
  /** Null only where no message goes to Meta (the sandbox sender). */
  accessToken: string | null;
  numbers: BusinessNumberSettings[];
}

const KEY = 'failedMessages.whatsapp';
const PHONE_NUMBER_ID = /^[0-9]+$/;

function missing(key: string, why: string): Error {
  return new Error(`Missing required config value ${key}: ${why}`);
}

/**
 * Text at `key`; YAML reads an unquoted id such as 1065… as a number, which
 * is taken as its digits.
 */
function optionalText(config: Config, key: string): string | undefined {
  const value = config.getOptional(key);
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return String(value);
  }
  // An empty value reads as missing, so the error names what is needed.
  return value === '' ? undefined : config.getOptionalString(key);
}

function checkedPhoneNumberId(key: string, phoneNumberId: string): string {
  if (!PHONE_NUMBER_ID.test(phoneNumberId)) {
    throw new Error(
      `Invalid config value ${key}.phoneNumberId: Meta's phone number ids are digits only, got '${phoneNumberId}'`,
    );
  }
  return phoneNumberId;
}

function readNumber(
  config: Config,
  key: string,
  defaultRate: number,
): BusinessNumberSettings {
  const phoneNumberId = optionalText(config, 'phoneNumberId');
  if (!phoneNumberId) {
    throw missing(`${key}.phoneNumberId`, 'every number needs its id');
  }
  checkedPhoneNumberId(key, phoneNumberId);
  const label = optionalText(config, 'label');
  if (!label) {
    throw missing(`${key}.label`, 'the page names every number by its label');
  }
  const ratePerSecond =
    config.getOptionalNumber('ratePerSecond') ?? defaultRate;
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
    throw new Error(
      `Invalid config value ${key}.ratePerSecond: must be a number above 0, got ${ratePerSecond}`,
    );
  }
  return { phoneNumberId, label, ratePerSecond };
}

/**
 * The accounts and numbers of `failedMessages.whatsapp`: the list under
 * `accounts`, or the single-number keys (`phoneNumberId`, `accessToken`) as
 * one account, `default`, with one number. Start-up fails naming the key
 * when an account or number is incomplete, or an account id or phone number
 * id appears twice. `requireTokens` is set for the WhatsApp sender, which
 * sends with them.
 */
export function readWhatsAppAccounts(
  whatsapp: Config | undefined,
  options: { requireTokens: boolean; defaultRate: number; sender: string },
): WhatsAppAccountSettings[] {
  const { requireTokens, defaultRate, sender } = options;
  const accountConfigs = whatsapp?.getOptionalConfigArray('accounts');
  const singleNumber = whatsapp && optionalText(whatsapp, 'phoneNumberId');

  if (accountConfigs && singleNumber) {
    throw new Error(
      `Invalid config: ${KEY}.phoneNumberId and ${KEY}.accounts are both set; configure numbers in one place (a single number is an account with one number)`,
    );
  }
  if (!accountConfigs) {
    if (!singleNumber) {
      if (requireTokens) {
        throw missing(
          `${KEY}.phoneNumberId`,
          `the '${sender}' sender needs it (or ${KEY}.accounts)`,
        );
      }
      return [];
    }
    const accessToken = optionalText(whatsapp, 'accessToken') ?? null;
    if (requireTokens && !accessToken) {
      throw missing(`${KEY}.accessToken`, `the '${sender}' sender needs it`);
    }
    return [
      {
        id: 'default',
        wabaId: optionalText(whatsapp, 'wabaId') ?? null,
        accessToken,
        // The single-number keys have no label: the number is its own.
        numbers: [
          {
            phoneNumberId: checkedPhoneNumberId(KEY, singleNumber),
            label: singleNumber,
            ratePerSecond: defaultRate,
          },
        ],
      },
    ];
  }

  if (!accountConfigs.length) {
    throw new Error(
      `Invalid config value ${KEY}.accounts: it lists no account`,
    );
  }
  const accountIds = new Map<string, string>();
  const numberIds = new Map<string, string>();
  return accountConfigs.map((account, index) => {
    const key = `${KEY}.accounts[${index}]`;
    const id = optionalText(account, 'id');
    if (!id) {
      throw missing(`${key}.id`, 'every account needs a short name');
    }
    const sameId = accountIds.get(id);
    if (sameId) {
      throw new Error(
        `Invalid config value ${key}.id: '${id}' is already the id of ${sameId}`,
      );
    }
    accountIds.set(id, key);
    const wabaId = optionalText(account, 'wabaId');
    if (!wabaId) {
      throw missing(
        `${key}.wabaId`,
        'every account needs its WhatsApp Business Account id',
      );
    }
    const accessToken = optionalText(account, 'accessToken') ?? null;
    if (requireTokens && !accessToken) {
      throw missing(`${key}.accessToken`, `the '${sender}' sender needs it`);
    }
    const numbers = account.getOptionalConfigArray('numbers') ?? [];
    if (!numbers.length) {
      throw missing(
        `${key}.numbers`,
        'every account needs at least one number',
      );
    }
    return {
      id,
      wabaId,
      accessToken,
      numbers: numbers.map((numberConfig, numberIndex) => {
        const numberKey = `${key}.numbers[${numberIndex}]`;
        const number = readNumber(numberConfig, numberKey, defaultRate);
        const sameNumber = numberIds.get(number.phoneNumberId);
        if (sameNumber) {
          throw new Error(
            `Invalid config value ${numberKey}.phoneNumberId: '${number.phoneNumberId}' is already configured at ${sameNumber}`,
          );
        }
        numberIds.set(number.phoneNumberId, numberKey);
        return number;
      }),
    };
  });
}

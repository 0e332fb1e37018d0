import { FailedMessage } from '@msgops/plugin-failed-messages-common';
import { StoredBusinessNumber } from '../database/types';
import {
  BusinessNumberSettings,
  WhatsAppAccountSettings,
} from './readWhatsAppAccounts';

/** The account every message belongs to when no account is configured. */
export const DEFAULT_ACCOUNT = 'default';

/**
 * Where sends of one business number queue: its rate holds for every send
 * from it, across all replicas. `key` is the phone number id, '' for the
 * one lane of a deployment without configured numbers.
 */
export interface SendLane {
  key: string;
  ratePerSecond: number;
}

/** Where a resend of a message goes out from, or why it cannot. */
export type SendingNumber =
  | {
      kind: 'number';
      /** Null where no number is configured: the sender's own default. */
      phoneNumberId: string | null;
      account: string;
      lane: SendLane;
    }
  | { kind: 'unavailable'; reason: string };

/** A configured number, with the id of its account. */
export interface ConfiguredNumber extends BusinessNumberSettings {
  account: string;
}

/** A record with the number it was sent from, labelled or as stored. */
type NumberOf = { businessNumber: StoredBusinessNumber | null };

/**
 * The business numbers and accounts of the configuration: which number a
 * message was sent from, what it is called, and where its resend goes out
 * from. Labels are read here rather than stored, so renaming a number in the
 * configuration renames it on every record.
 */
export class BusinessNumbers {
  private readonly byId: Map<string, ConfiguredNumber>;
  readonly numbers: ConfiguredNumber[];

  constructor(
    readonly accounts: WhatsAppAccountSettings[],
    /** The rate of the one lane of a deployment without numbers. */
    private readonly defaultRate: number,
  ) {
    this.numbers = accounts.flatMap(account =>
      account.numbers.map(number => ({ ...number, account: account.id })),
    );
    this.byId = new Map(this.numbers.map(n => [n.phoneNumberId, n]));
  }

  find(phoneNumberId: string): ConfiguredNumber | undefined {
    return this.byId.get(phoneNumberId);
  }

  /**
   * The number a report or status without one was sent from: the only
   * configured number, if there is exactly one.
   */
  get onlyNumber(): ConfiguredNumber | undefined {
    return this.numbers.length === 1 ? this.numbers[0] : undefined;
  }

  /** The account ids, in the configuration's order. */
  get accountIds(): string[] {
    return this.accounts.length
      ? this.accounts.map(account => account.id)
      : [DEFAULT_ACCOUNT];
  }

  /** Where a resend of the message goes out from, or why it cannot. */
  sendingNumber(message: NumberOf): SendingNumber {
    const stored = message.businessNumber;
    if (!this.numbers.length) {
      // No number configured: the sender (a module's own, or the sandbox)
      // sends from its default, whatever number sent the original.
      return {
        kind: 'number',
        phoneNumberId: stored?.phoneNumberId ?? null,
        account: DEFAULT_ACCOUNT,
        lane: { key: '', ratePerSecond: this.defaultRate },
      };
    }
    if (stored) {
      const number = this.find(stored.phoneNumberId);
      if (!number) {
        return {
          kind: 'unavailable',
          reason: `It was sent from ${
            stored.displayPhoneNumber ??
            `the number with id ${stored.phoneNumberId}`
          }, which is not configured here: it cannot be resent until that number is added to failedMessages.whatsapp.accounts.`,
        };
      }
      return this.from(number);
    }
    if (this.onlyNumber) {
      return this.from(this.onlyNumber);
    }
    return {
      kind: 'unavailable',
      reason:
        'The business number that sent it is not known and several are configured: it cannot be resent.',
    };
  }

  private from(number: ConfiguredNumber): SendingNumber {
    return {
      kind: 'number',
      phoneNumberId: number.phoneNumberId,
      account: number.account,
      lane: { key: number.phoneNumberId, ratePerSecond: number.ratePerSecond },
    };
  }

  /** The message with its number's label from the configuration. */
  labelled<T extends Pick<FailedMessage, 'businessNumber'>>(message: T): T {
    const stored = message.businessNumber;
    if (!stored) {
      return message;
    }
    return {
      ...message,
      businessNumber: {
        ...stored,
        label: this.find(stored.phoneNumberId)?.label ?? null,
      },
    };
  }
}

import { BusinessNumbers } from '../numbers/BusinessNumbers';
import { WhatsAppAccountSettings } from '../numbers/readWhatsAppAccounts';

/** The one account and number of the single-number keys, as tests configure it. */
export const TEST_ACCOUNT: WhatsAppAccountSettings = {
  id: 'default',
  wabaId: null,
  accessToken: 'token',
  numbers: [
    { phoneNumberId: '1234567890', label: '1234567890', ratePerSecond: 1000 },
  ],
};

/** Business numbers of the given accounts, by default the one above at `ratePerSecond`. */
export function testNumbers(
  ratePerSecond = 1000,
  accounts: WhatsAppAccountSettings[] = [
    {
      ...TEST_ACCOUNT,
      numbers: TEST_ACCOUNT.numbers.map(n => ({ ...n, ratePerSecond })),
    },
  ],
): BusinessNumbers {
  return new BusinessNumbers(accounts, ratePerSecond);
}

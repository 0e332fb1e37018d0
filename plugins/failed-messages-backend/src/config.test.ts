import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readFailedMessagesSettings } from './config';

const DEVELOPMENT_SECRETS = {
  appSecret: 'development-app-secret',
  verifyToken: 'development-verify-token',
};

const WHATSAPP_ACCOUNT = {
  phoneNumberId: '1234567890',
  accessToken: 'an-access-token',
};

function settings(failedMessages: JsonObject, isDevelopment: boolean) {
  return readFailedMessagesSettings(new ConfigReader({ failedMessages }), {
    isDevelopment,
  });
}

/** The development config under a production one, as app-config files layer. */
function production(whatsapp: JsonObject) {
  return settings(
    {
      sender: 'whatsapp',
      developmentWebhookSecrets: DEVELOPMENT_SECRETS,
      whatsapp: { ...WHATSAPP_ACCOUNT, ...whatsapp },
    },
    false,
  );
}

describe('readFailedMessagesSettings', () => {
  describe('webhook secrets outside development', () => {
    it('uses the configured secrets', () => {
      expect(
        production({ appSecret: 'real-secret', verifyToken: 'real-token' })
          .webhooks,
      ).toEqual({ appSecret: 'real-secret', verifyToken: 'real-token' });
    });

    it.each(['appSecret', 'verifyToken'])(
      'refuses to start without %s, though the development config has one',
      key => {
        const whatsapp: JsonObject = {
          appSecret: 'real-secret',
          verifyToken: 'real-token',
        };
        delete whatsapp[key];
        expect(() => production(whatsapp)).toThrow(
          `Missing required config value failedMessages.whatsapp.${key}: the 'whatsapp' sender needs it (failedMessages.developmentWebhookSecrets serve only when NODE_ENV is development)`,
        );
      },
    );

    it.each([
      ['appSecret', 'development-app-secret'],
      ['verifyToken', 'development-verify-token'],
      ['verifyToken', 'development-app-secret'],
    ])('refuses %s set to the development secret %s', (key, value) => {
      expect(() =>
        production({
          appSecret: 'real-secret',
          verifyToken: 'real-token',
          [key]: value,
        }),
      ).toThrow(
        `Invalid config value failedMessages.whatsapp.${key}: it equals a development secret from failedMessages.developmentWebhookSecrets`,
      );
    });

    it('leaves webhooks off for the sandbox sender without secrets', () => {
      expect(
        settings(
          { sender: 'sandbox', developmentWebhookSecrets: DEVELOPMENT_SECRETS },
          false,
        ).webhooks,
      ).toBeUndefined();
    });

    it('names the missing half of a sandbox webhook configuration', () => {
      expect(() =>
        settings(
          { sender: 'sandbox', whatsapp: { appSecret: 'real-secret' } },
          false,
        ),
      ).toThrow(
        'Missing required config value failedMessages.whatsapp.verifyToken: webhooks need both appSecret and verifyToken',
      );
    });
  });

  describe('webhook secrets in development', () => {
    it('falls back to the development secrets', () => {
      expect(
        settings(
          { sender: 'sandbox', developmentWebhookSecrets: DEVELOPMENT_SECRETS },
          true,
        ).webhooks,
      ).toEqual(DEVELOPMENT_SECRETS);
    });

    it('prefers configured secrets, even equal to the development ones', () => {
      expect(
        settings(
          {
            sender: 'whatsapp',
            developmentWebhookSecrets: DEVELOPMENT_SECRETS,
            whatsapp: {
              ...WHATSAPP_ACCOUNT,
              appSecret: 'development-app-secret',
              verifyToken: 'local-token',
            },
          },
          true,
        ).webhooks,
      ).toEqual({
        appSecret: 'development-app-secret',
        verifyToken: 'local-token',
      });
    });
  });

  it('names the account value the WhatsApp sender lacks', () => {
    expect(() =>
      settings(
        { sender: 'whatsapp', whatsapp: { phoneNumberId: '1234567890' } },
        true,
      ),
    ).toThrow(
      "Missing required config value failedMessages.whatsapp.accessToken: the 'whatsapp' sender needs it",
    );
  });

  it('names an unknown sender', () => {
    expect(() => settings({ sender: 'sms' }, true)).toThrow(
      "Invalid failedMessages.sender 'sms': must be one of whatsapp, sandbox",
    );
  });

  it('reads the automatic run in UTC unless a time zone is configured', () => {
    const sandbox = (autoRetry: JsonObject) =>
      settings({ sender: 'sandbox', autoRetry }, true).autoRetry.timezone;
    expect(sandbox({})).toBe('UTC');
    expect(sandbox({ timezone: 'Europe/Berlin' })).toBe('Europe/Berlin');
    expect(() => sandbox({ timezone: 'Mars/Olympus' })).toThrow(
      "Invalid config value failedMessages.autoRetry.timezone: 'Mars/Olympus' is not an IANA time zone name such as UTC or Europe/Berlin",
    );
  });

  it('keeps logged payloads 7 days unless configured, and names a bad value', () => {
    const sandbox = (sendLog: JsonObject) =>
      settings({ sender: 'sandbox', sendLog }, true).sendLogRetentionDays;
    expect(sandbox({})).toBe(7);
    expect(sandbox({ retentionDays: 14 })).toBe(14);
    expect(() => sandbox({ retentionDays: 0 })).toThrow(
      'Invalid config value failedMessages.sendLog.retentionDays: must be a number above 0, got 0',
    );
  });

  describe('error-code overrides', () => {
    it("applies an operator's manual-retry rule to a code", () => {
      const { catalogue } = settings(
        {
          sender: 'sandbox',
          errorCodes: {
            '132015': {
              manualRetry: 'allowed',
              rule: 'Our template team re-enables paused templates at once.',
            },
          },
        },
        true,
      );
      expect(catalogue.lookup('132015')).toMatchObject({
        manualRetry: 'allowed',
        rule: 'Our template team re-enables paused templates at once.',
      });
    });

    it.each([
      [
        { manualRetry: 'later' },
        'failedMessages.errorCodes.132015.manualRetry',
      ],
      [{ rule: '' }, 'failedMessages.errorCodes.132015.rule'],
    ])('refuses to start with %o, naming the key', (override, key) => {
      expect(() =>
        settings(
          { sender: 'sandbox', errorCodes: { '132015': override } },
          true,
        ),
      ).toThrow(key);
    });
  });

  describe('business numbers and accounts', () => {
    const account = (id: string, numbers: JsonObject[]) => ({
      id,
      wabaId: `waba-of-${id}`,
      accessToken: `token-of-${id}`,
      numbers,
    });
    const withAccounts = (accounts: JsonObject[], retry?: JsonObject) =>
      settings(
        {
          sender: 'whatsapp',
          developmentWebhookSecrets: DEVELOPMENT_SECRETS,
          ...(retry && { retry }),
          whatsapp: { accounts },
        },
        true,
      ).accounts;

    it('reads every account with its numbers, their labels and rates', () => {
      expect(
        withAccounts(
          [
            account('eu-main', [
              { phoneNumberId: '1065', label: 'Support DE', ratePerSecond: 80 },
              // YAML reads an unquoted id as a number.
              { phoneNumberId: 1066, label: 'Support FR' },
            ]),
            account('us-brand', [{ phoneNumberId: '2065', label: 'Sales US' }]),
          ],
          { ratePerSecond: 25 },
        ),
      ).toEqual([
        {
          id: 'eu-main',
          wabaId: 'waba-of-eu-main',
          accessToken: 'token-of-eu-main',
          numbers: [
            { phoneNumberId: '1065', label: 'Support DE', ratePerSecond: 80 },
            { phoneNumberId: '1066', label: 'Support FR', ratePerSecond: 25 },
          ],
        },
        {
          id: 'us-brand',
          wabaId: 'waba-of-us-brand',
          accessToken: 'token-of-us-brand',
          numbers: [
            { phoneNumberId: '2065', label: 'Sales US', ratePerSecond: 25 },
          ],
        },
      ]);
    });

    it('reads the single-number keys as one account with one number', () => {
      expect(
        settings(
          {
            sender: 'whatsapp',
            developmentWebhookSecrets: DEVELOPMENT_SECRETS,
            whatsapp: WHATSAPP_ACCOUNT,
          },
          true,
        ).accounts,
      ).toEqual([
        {
          id: 'default',
          wabaId: null,
          accessToken: 'an-access-token',
          numbers: [
            {
              phoneNumberId: '1234567890',
              label: '1234567890',
              ratePerSecond: 20,
            },
          ],
        },
      ]);
    });

    it.each<[string, JsonObject[], string]>([
      [
        'an account without an id',
        [{ ...account('x', [{ phoneNumberId: '1', label: 'A' }]), id: '' }],
        'Missing required config value failedMessages.whatsapp.accounts[0].id',
      ],
      [
        'an account without its WABA id',
        [{ ...account('x', [{ phoneNumberId: '1', label: 'A' }]), wabaId: '' }],
        'Missing required config value failedMessages.whatsapp.accounts[0].wabaId',
      ],
      [
        'an account without a token',
        [
          account('a', [{ phoneNumberId: '1', label: 'A' }]),
          {
            id: 'b',
            wabaId: '2',
            numbers: [{ phoneNumberId: '2', label: 'B' }],
          },
        ],
        "Missing required config value failedMessages.whatsapp.accounts[1].accessToken: the 'whatsapp' sender needs it",
      ],
      [
        'an account without numbers',
        [account('a', [])],
        'Missing required config value failedMessages.whatsapp.accounts[0].numbers',
      ],
      [
        'a number without an id',
        [account('a', [{ label: 'A' }])],
        'Missing required config value failedMessages.whatsapp.accounts[0].numbers[0].phoneNumberId',
      ],
      [
        'a number without a label',
        [account('a', [{ phoneNumberId: '1' }])],
        'Missing required config value failedMessages.whatsapp.accounts[0].numbers[0].label',
      ],
      [
        'a phone number id that is not digits',
        [account('a', [{ phoneNumberId: '+49 30', label: 'A' }])],
        "Invalid config value failedMessages.whatsapp.accounts[0].numbers[0].phoneNumberId: Meta's phone number ids are digits only",
      ],
      [
        'a rate of zero',
        [account('a', [{ phoneNumberId: '1', label: 'A', ratePerSecond: 0 }])],
        'Invalid config value failedMessages.whatsapp.accounts[0].numbers[0].ratePerSecond: must be a number above 0, got 0',
      ],
      [
        'a phone number id twice',
        [
          account('a', [{ phoneNumberId: '1', label: 'A' }]),
          account('b', [
            { phoneNumberId: '2', label: 'B' },
            { phoneNumberId: '1', label: 'C' },
          ]),
        ],
        "Invalid config value failedMessages.whatsapp.accounts[1].numbers[1].phoneNumberId: '1' is already configured at failedMessages.whatsapp.accounts[0].numbers[0]",
      ],
      [
        'an account id twice',
        [
          account('a', [{ phoneNumberId: '1', label: 'A' }]),
          account('a', [{ phoneNumberId: '2', label: 'B' }]),
        ],
        "Invalid config value failedMessages.whatsapp.accounts[1].id: 'a' is already the id of failedMessages.whatsapp.accounts[0]",
      ],
    ])('refuses to start with %s, naming the key', (_, accounts, message) => {
      expect(() => withAccounts(accounts)).toThrow(message);
    });

    it('refuses both the single-number keys and accounts', () => {
      expect(() =>
        settings(
          {
            sender: 'whatsapp',
            developmentWebhookSecrets: DEVELOPMENT_SECRETS,
            whatsapp: {
              ...WHATSAPP_ACCOUNT,
              accounts: [account('a', [{ phoneNumberId: '1', label: 'A' }])],
            },
          },
          true,
        ),
      ).toThrow(
        'failedMessages.whatsapp.phoneNumberId and failedMessages.whatsapp.accounts are both set',
      );
    });

    it('lets the sandbox sender go without accounts or tokens', () => {
      expect(settings({ sender: 'sandbox' }, true).accounts).toEqual([]);
      expect(
        settings(
          {
            sender: 'sandbox',
            whatsapp: {
              accounts: [
                {
                  id: 'a',
                  wabaId: '1',
                  numbers: [{ phoneNumberId: '1', label: 'A' }],
                },
              ],
            },
          },
          true,
        ).accounts[0].accessToken,
      ).toBeNull();
    });
  });
});

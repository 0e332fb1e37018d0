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
});

/**
 * A local OpenID Connect provider for the sign-in browser test
 * (oidcSignIn.test.ts): the issuer that app-config.e2e-oidc.yaml's backend
 * signs users in through. Its login page takes any login and password; the
 * login is the user's verified email, which the backend resolves to the
 * catalog user with that profile email. Started by playwright.config.ts with
 * plain `node` (Node strips the types).
 */
import Provider from 'oidc-provider';

const OIDC_ISSUER_PORT = 7090;
const OIDC_BACKEND = 'http://localhost:7079';

const provider = new Provider(`http://localhost:${OIDC_ISSUER_PORT}`, {
  clients: [
    {
      client_id: 'failed-messages-e2e',
      client_secret: 'failed-messages-e2e-secret',
      redirect_uris: [`${OIDC_BACKEND}/api/auth/oidc/handler/frame`],
      grant_types: ['authorization_code', 'refresh_token'],
    },
  ],
  // A refresh token with every sign-in (as Keycloak gives one without
  // offline_access): the portal refreshes its session with it after a reload.
  async issueRefreshToken(_ctx, client) {
    return client.grantTypeAllowed('refresh_token');
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  async findAccount(_ctx, accountId) {
    return {
      accountId,
      async claims() {
        return {
          sub: accountId,
          email: accountId,
          email_verified: true,
          name: accountId,
        };
      },
    };
  },
  // The provider's own login and consent pages, enough for a test.
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['failed-messages-e2e-cookies'] },
});

provider.listen(OIDC_ISSUER_PORT, () => {
  process.stdout.write(
    `OpenID provider on http://localhost:${OIDC_ISSUER_PORT}\n`,
  );
});

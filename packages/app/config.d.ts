export interface Config {
  app?: {
    /**
     * The sign-in page's providers, in this order: `oidc`, the company's
     * OpenID Connect provider (auth.providers.oidc), and `guest`, which the
     * backend serves in development only. Defaults to `guest`.
     * @visibility frontend
     */
    signInProviders?: Array<'oidc' | 'guest'>;
  };
}

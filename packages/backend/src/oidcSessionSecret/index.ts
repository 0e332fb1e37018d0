import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

/**
 * OpenID Connect sign-in keeps its state in the auth backend's session from
 * the redirect to the provider until the return. Without auth.session.secret
 * there is no session and every sign-in fails, so the backend refuses to
 * start instead, naming the key.
 */
export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'oidc-session-secret',
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.rootConfig },
      async init({ config }) {
        if (config.has('auth.providers.oidc')) {
          config.getString('auth.session.secret');
        }
      },
    });
  },
});

import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
// Production signs in through OpenID Connect (app-config.production.yaml);
// the guest provider refuses to sign anyone in unless NODE_ENV is development.
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));
backend.add(import('./oidcSessionSecret'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('./catalogFilePlaceholders'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
backend.add(
  import('@msgops/plugin-scaffolder-backend-module-failed-messages'),
);

// Permissions: the failed-messages roles; everything else stays allowed.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@msgops/plugin-permission-backend-module-failed-messages-policy'),
);

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.add(import('@msgops/plugin-failed-messages-backend'));

backend.start();

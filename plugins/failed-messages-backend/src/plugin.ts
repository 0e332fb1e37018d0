import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { failedMessagesPermissions } from '@internal/plugin-failed-messages-common';
import { readFailedMessagesSettings } from './config';
import { KnexFailedMessageStore } from './database/KnexFailedMessageStore';
import { seedDemoData } from './demo/seedDemoData';
import { createRouter } from './service/router';

/**
 * The failed-messages backend plugin: stores failed WhatsApp messages,
 * ingests reports and status webhooks, and serves them to the portal.
 *
 * @public
 */
export const failedMessagesPlugin = createBackendPlugin({
  pluginId: 'failed-messages',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init(deps) {
        const settings = readFailedMessagesSettings(deps.config);
        const store = await KnexFailedMessageStore.create({
          database: deps.database,
        });
        if (settings.demoData) {
          await seedDemoData({
            store,
            catalogue: settings.catalogue,
            logger: deps.logger,
          });
        }

        deps.permissionsRegistry.addPermissions(failedMessagesPermissions);
        deps.httpRouter.use(
          await createRouter({
            store,
            catalogue: settings.catalogue,
            webhooks: settings.webhooks,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            logger: deps.logger,
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        // Meta authenticates with the webhook signature, not a Backstage token.
        deps.httpRouter.addAuthPolicy({
          path: '/webhooks',
          allow: 'unauthenticated',
        });
      },
    });
  },
});

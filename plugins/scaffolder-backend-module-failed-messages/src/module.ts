import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createFailedMessagesSummaryAction,
  createRetryFailedMessagesAction,
} from './actions';

/**
 * Registers the `failed-messages:retry` and `failed-messages:summary`
 * scaffolder actions.
 *
 * @public
 */
export const scaffolderModuleFailedMessages = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'failed-messages',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, discovery, auth }) {
        scaffolder.addActions(
          createRetryFailedMessagesAction({ discovery, auth }),
          createFailedMessagesSummaryAction({ discovery, auth }),
        );
      },
    });
  },
});

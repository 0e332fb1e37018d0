import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { FailedMessagesRolePolicy } from './FailedMessagesRolePolicy';

/**
 * Sets the permission backend's policy to {@link FailedMessagesRolePolicy}:
 * failed-messages permissions by `failedMessages.roles`, everything else
 * allowed.
 *
 * @public
 */
export const permissionModuleFailedMessagesPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'failed-messages-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ policy, config }) {
        policy.setPolicy(FailedMessagesRolePolicy.fromConfig(config));
      },
    });
  },
});

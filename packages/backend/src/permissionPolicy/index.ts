import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { FailedMessagesRolePolicy } from './FailedMessagesRolePolicy';

/**
 * The portal's permission policy: failed-messages permissions by the roles in
 * `failedMessages.roles`, everything else allowed.
 */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'failed-messages-role-policy',
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

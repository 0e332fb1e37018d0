import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { FileLocationPlaceholderProcessor } from './FileLocationPlaceholderProcessor';

/**
 * Lets catalog files registered from the local disk use relative `$text`,
 * `$yaml` and `$json` placeholders, as they do when registered from a Git
 * host: catalog-info.yaml's API definition is the OpenAPI file beside it.
 */
export default createBackendModule({
  pluginId: 'catalog',
  moduleId: 'file-location-placeholders',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(new FileLocationPlaceholderProcessor());
      },
    });
  },
});

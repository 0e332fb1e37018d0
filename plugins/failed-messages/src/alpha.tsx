import { Content } from '@backstage/core-components';
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import SmsFailedIcon from '@material-ui/icons/SmsFailed';
import { FailedMessagesClient, failedMessagesApiRef } from './api';
import { rootRouteRef } from './routes';

export { failedMessagesTranslationRef } from './translation';

/**
 * The client of the failed-messages backend.
 *
 * @alpha
 */
export const failedMessagesApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: failedMessagesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new FailedMessagesClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The page at /failed-messages; its title and icon also make its nav item.
 * Once its code has loaded, it asks for the list and the counts before it
 * renders, so that the first rows do not wait for the page's first render.
 *
 * @alpha
 */
export const failedMessagesPage = PageBlueprint.makeWithOverrides({
  factory(originalFactory, { apis }) {
    return originalFactory({
      path: '/failed-messages',
      title: 'Failed Messages',
      icon: <SmsFailedIcon />,
      routeRef: rootRouteRef,
      loader: () =>
        import('./components/FailedMessagesPage').then(m => {
          const api = apis.get(failedMessagesApiRef);
          if (api) {
            m.askForFirstAnswers(api, window.location.search);
          }
          return (
            <Content>
              <m.FailedMessagesContent />
            </Content>
          );
        }),
    });
  },
});

/**
 * The Failed Messages plugin for apps on the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'failed-messages',
  title: 'Failed Messages',
  icon: <SmsFailedIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: rootRouteRef,
  },
  extensions: [failedMessagesApi, failedMessagesPage],
});

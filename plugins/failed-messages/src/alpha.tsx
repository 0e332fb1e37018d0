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

/** The client of the failed-messages backend. */
export const failedMessagesApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: failedMessagesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new FailedMessagesClient({ discoveryApi, fetchApi }),
    }),
});

/** The page at /failed-messages; its title and icon also make its nav item. */
export const failedMessagesPage = PageBlueprint.make({
  params: {
    path: '/failed-messages',
    title: 'Failed Messages',
    icon: <SmsFailedIcon />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/FailedMessagesPage').then(m => (
        <Content>
          <m.FailedMessagesContent />
        </Content>
      )),
  },
});

/** The Failed Messages plugin for apps on the new frontend system. */
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

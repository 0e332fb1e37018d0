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
import type { FirstListLoader } from './components/FailedMessagesPage/firstList';
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
export const failedMessagesPage = PageBlueprint.makeWithOverrides({
  factory(originalFactory, { apis }) {
    let firstListLoader: FirstListLoader | undefined;
    return originalFactory({
      path: '/failed-messages',
      title: 'Failed Messages',
      icon: <SmsFailedIcon />,
      routeRef: rootRouteRef,
      // The list is asked for as soon as the page's code is in, not after the
      // page's first render, and that render shows its rows. The loader runs
      // outside the router, so it reads the query from the browser's location.
      loader: async () => {
        const page = await import('./components/FailedMessagesPage');
        firstListLoader ??= page.createFirstListLoader(
          apis.get(failedMessagesApiRef)!,
        );
        const firstList = await firstListLoader(window.location.search);
        return (
          <Content>
            <page.FailedMessagesContent firstList={firstList} />
          </Content>
        );
      },
    });
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

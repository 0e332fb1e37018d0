import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { FailedMessagesClient, failedMessagesApiRef } from './api';
import { rootRouteRef } from './routes';

/**
 * The Failed Messages plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const failedMessagesPlugin = createPlugin({
  id: 'failed-messages',
  apis: [
    createApiFactory({
      api: failedMessagesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new FailedMessagesClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/**
 * The Failed Messages page, to mount on a route of a legacy app.
 *
 * @public
 */
export const FailedMessagesPage: () => JSX.Element =
  failedMessagesPlugin.provide(
    createRoutableExtension({
      name: 'FailedMessagesPage',
      component: () =>
        import('./components/FailedMessagesPage').then(
          m => m.FailedMessagesPage,
        ),
      mountPoint: rootRouteRef,
    }),
  );

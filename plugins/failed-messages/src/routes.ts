import { createRouteRef } from '@backstage/core-plugin-api';

/** The Failed Messages page, in both frontend systems. */
export const rootRouteRef = createRouteRef({
  id: 'failed-messages',
});

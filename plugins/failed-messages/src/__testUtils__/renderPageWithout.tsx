import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { FailedMessagesApi, failedMessagesApiRef } from '../api';
import { FailedMessagesContent } from '../components/FailedMessagesPage';

/**
 * Renders the page for a user who holds every permission but one. Returns
 * the permissions the page asked about, so a test can wait for the answer.
 */
export async function renderPageWithout(
  deniedPermission: string,
  api: FailedMessagesApi,
  options: { initialSearch?: string; signalApi?: SignalApi } = {},
): Promise<string[]> {
  const asked: string[] = [];
  const permissionApi = mockApis.permission({
    authorize: request => {
      asked.push(request.permission.name);
      return request.permission.name === deniedPermission
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW;
    },
  });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [failedMessagesApiRef, api],
        [permissionApiRef, permissionApi],
        ...(options.signalApi
          ? [[signalApiRef, options.signalApi] as const]
          : []),
      ]}
    >
      <FailedMessagesContent />
    </TestApiProvider>,
    { routeEntries: [`/failed-messages${options.initialSearch ?? ''}`] },
  );
  return asked;
}

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { FailedMessagesApi, failedMessagesApiRef } from '../api';
import { MessageDetailsDrawer } from '../components/MessageDetailsDrawer/MessageDetailsDrawer';

/**
 * Renders the details of one message for a user who holds every
 * permission. Returns the callback the drawer calls after a change.
 */
export async function renderDetailsDrawer(
  api: FailedMessagesApi,
  messageId: string,
): Promise<{ onRetried: jest.Mock }> {
  const onRetried = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [failedMessagesApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      ]}
    >
      <MessageDetailsDrawer
        messageId={messageId}
        onClose={jest.fn()}
        onRetried={onRetried}
      />
    </TestApiProvider>,
  );
  return { onRetried };
}

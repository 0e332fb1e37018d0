import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { failedMessagesApiRef } from '../../api';
import { createEmptyFailedMessagesApi } from '../../__testUtils__/emptyFailedMessagesApi';
import { FailedMessagesContent } from '../FailedMessagesPage';

// A file of its own: usePermission caches answers for the whole test file.

describe('Statistics without the statistics permission', () => {
  it('shows neither the tabs nor the statistics', async () => {
    const api = createEmptyFailedMessagesApi();
    const asked: string[] = [];
    const permissionApi = mockApis.permission({
      authorize: request => {
        asked.push(request.permission.name);
        return request.permission.name === 'failed-messages.statistics.read'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW;
      },
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [failedMessagesApiRef, api],
          [permissionApiRef, permissionApi],
        ]}
      >
        <FailedMessagesContent />
      </TestApiProvider>,
    );

    await waitFor(() =>
      expect(asked).toContain('failed-messages.statistics.read'),
    );
    // Lets the answer reach the page.
    await new Promise(resolve => setTimeout(resolve, 50));

    expect(screen.queryByRole('tab', { name: 'Statistics' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Statistics' })).toBeNull();
    expect(api.getStatistics).not.toHaveBeenCalled();
  });
});

import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { failedMessagesApiRef } from './api';
import { FailedMessagesPage, failedMessagesPlugin } from './plugin';
import { createEmptyFailedMessagesApi } from './__testUtils__/emptyFailedMessagesApi';

describe('failedMessagesPlugin (legacy frontend system)', () => {
  it('has the plugin id of the backend', () => {
    expect(failedMessagesPlugin.getId()).toBe('failed-messages');
  });

  it('mounts FailedMessagesPage with its header', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [failedMessagesApiRef, createEmptyFailedMessagesApi()],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <Routes>
          <Route path="/failed-messages" element={<FailedMessagesPage />} />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/failed-messages'] },
    );

    expect(
      screen.getByRole('heading', { name: 'Failed Messages' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No failed messages match these filters'),
    ).toBeInTheDocument();
  });
});

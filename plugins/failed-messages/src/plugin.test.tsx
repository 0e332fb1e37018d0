import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { Route, Routes } from 'react-router-dom';
import { FailedMessagesApi, failedMessagesApiRef } from './api';
import { FailedMessagesPage, failedMessagesPlugin } from './plugin';
import {
  createFakeFailedMessagesApi,
  fakeMessageDetail,
} from './__testUtils__/fakeFailedMessagesApi';

const server = setupServer();
registerMswTestHooks(server);

describe('failedMessagesPlugin (legacy frontend system)', () => {
  it('has the plugin id of the backend', () => {
    expect(failedMessagesPlugin.getId()).toBe('failed-messages');
  });

  it("provides a client of the backend at discovery's address", async () => {
    server.use(
      http.get('http://localhost:7007/api/failed-messages/summary', () =>
        HttpResponse.json({
          total: 7,
          retryable: 7,
          nonRetryable: 0,
          businessLogic: 0,
        }),
      ),
    );
    const factory = [...failedMessagesPlugin.getApis()].find(
      candidate => candidate.api.id === failedMessagesApiRef.id,
    )!;
    const client = factory.factory({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      fetchApi: {
        fetch: (...args: Parameters<typeof fetch>) => fetch(...args),
      },
    }) as FailedMessagesApi;

    await expect(client.getSummary()).resolves.toMatchObject({ total: 7 });
  });

  it('mounts FailedMessagesPage with its header, counts, list and details', async () => {
    const api = createFakeFailedMessagesApi();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [failedMessagesApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <Routes>
          <Route path="/failed-messages" element={<FailedMessagesPage />} />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/failed-messages?age=7d'] },
    );

    expect(
      screen.getByRole('heading', { name: 'Failed Messages' }),
    ).toBeInTheDocument();
    const summary = screen.getByRole('region', { name: 'Summary' });
    expect(
      await within(summary).findByRole('button', { name: 'Total: 5' }),
    ).toBeInTheDocument();
    expect(api.listMessages).toHaveBeenCalledWith(
      expect.objectContaining({ age: '7d', limit: 25, offset: 0 }),
    );

    await userEvent.click(
      await screen.findByRole('row', {
        name: /Details of the message to \+4915112345678/,
      }),
    );
    expect(
      await screen.findByText(fakeMessageDetail.explanation.meaning),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Retry now' }),
    ).toBeInTheDocument();
  });
});

import {
  coreExtensionData,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import failedMessagesPlugin, { failedMessagesPage } from './alpha';
import { failedMessagesApiRef } from './api';
import {
  createFakeFailedMessagesApi,
  fakeMessageDetail,
} from './__testUtils__/fakeFailedMessagesApi';

describe('failed-messages plugin (new frontend system)', () => {
  it('is a frontend plugin with the backend plugin id', () => {
    expect(failedMessagesPlugin.pluginId).toBe('failed-messages');
    expect(failedMessagesPlugin.$$type).toBe(
      createFrontendPlugin({ pluginId: 'x' }).$$type,
    );
  });

  it('provides the page at /failed-messages with a nav title and icon', async () => {
    const api = createFakeFailedMessagesApi();
    const apis = [
      [failedMessagesApiRef, api],
      [permissionApiRef, mockApis.permission()],
    ] as const;
    const tester = createExtensionTester(failedMessagesPage, { apis });

    expect(tester.get(coreExtensionData.routePath)).toBe('/failed-messages');
    expect(tester.get(coreExtensionData.title)).toBe('Failed Messages');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();

    renderInTestApp(tester.reactElement(), {
      apis,
      initialRouteEntries: ['/?category=retryable'],
    });
    const summary = await screen.findByRole('region', { name: 'Summary' });
    expect(
      await within(summary).findByRole('button', {
        name: 'Retryable: 3',
        pressed: true,
      }),
    ).toBeInTheDocument();
    expect(await screen.findByText('+4915112345678')).toBeInTheDocument();
    expect(api.listMessages).toHaveBeenCalledWith(
      expect.objectContaining({ category: ['retryable'], offset: 0 }),
    );
  });

  it('shows the page in an app with the plugin installed, and opens a message', async () => {
    const api = createFakeFailedMessagesApi();
    renderTestApp({
      features: [failedMessagesPlugin],
      initialRouteEntries: ['/failed-messages'],
      apis: [
        [failedMessagesApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ],
    });

    await userEvent.click(
      await screen.findByRole('row', {
        name: /Details of the message to \+4915112345678/,
      }),
    );

    expect(
      await screen.findByText(fakeMessageDetail.explanation.meaning),
    ).toBeInTheDocument();
    expect(api.getMessage).toHaveBeenCalledWith('msg-1');
  });
});

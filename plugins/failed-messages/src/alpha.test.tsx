import {
  coreExtensionData,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen } from '@testing-library/react';
import failedMessagesPlugin, { failedMessagesPage } from './alpha';
import { failedMessagesApiRef } from './api';
import { createEmptyFailedMessagesApi } from './__testUtils__/emptyFailedMessagesApi';

describe('failed-messages plugin (new frontend system)', () => {
  it('is a frontend plugin with the backend plugin id', () => {
    expect(failedMessagesPlugin.pluginId).toBe('failed-messages');
    expect(failedMessagesPlugin.$$type).toBe(
      createFrontendPlugin({ pluginId: 'x' }).$$type,
    );
  });

  it('provides the page at /failed-messages with a nav title and icon', async () => {
    const apis = [
      [failedMessagesApiRef, createEmptyFailedMessagesApi()],
      [permissionApiRef, mockApis.permission()],
    ] as const;
    const tester = createExtensionTester(failedMessagesPage, { apis });

    expect(tester.get(coreExtensionData.routePath)).toBe('/failed-messages');
    expect(tester.get(coreExtensionData.title)).toBe('Failed Messages');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();

    renderInTestApp(tester.reactElement(), { apis });
    expect(
      await screen.findByText('No failed messages match these filters'),
    ).toBeInTheDocument();
  });
});

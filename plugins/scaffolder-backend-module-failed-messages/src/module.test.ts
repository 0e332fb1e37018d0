import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import scaffolderModuleFailedMessages from '.';

describe('scaffolderModuleFailedMessages', () => {
  it('registers the failed-messages actions', async () => {
    const addActions = jest.fn();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [scaffolderModuleFailedMessages],
    });
    const ids = addActions.mock.calls.flat().map((a: { id: string }) => a.id);
    expect(ids).toEqual(['failed-messages:retry', 'failed-messages:summary']);
  });
});

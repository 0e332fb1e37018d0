import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { renderPage, setUpFakeBackend } from '../../__testUtils__/fakeBackend';

// A file of its own: usePermission caches answers for the whole test file.

const { serve } = setUpFakeBackend();

describe('AutoRetryPanel for an agent', () => {
  it('is not on the page', async () => {
    serve();
    const agent = new Set([
      'failed-messages.message.read',
      'failed-messages.message.retry',
    ]);
    const asked: string[] = [];
    await renderPage(
      '',
      mockApis.permission({
        authorize: request => {
          asked.push(request.permission.name);
          return agent.has(request.permission.name)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY;
        },
      }),
    );
    expect(await screen.findByText('+4915112345678')).toBeInTheDocument();
    await waitFor(() =>
      expect(asked).toEqual(
        expect.arrayContaining([
          'failed-messages.message.bulk-retry',
          'failed-messages.statistics.read',
        ]),
      ),
    );
    expect(
      screen.queryByRole('region', { name: 'Automatic run' }),
    ).not.toBeInTheDocument();
  });
});

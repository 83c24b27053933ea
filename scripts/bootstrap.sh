#!/bin/sh
# Installs the npm dependencies (including Node 24 itself, as the devDependency `node`) when the
# lockfile changed since the last install. Runs on the machine's own Node/npm, whatever version.
set -eu
cd "$(dirname "$0")/.."
stamp=node_modules/.starling-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -x node_modules/.bin/node ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "starling: installing npm dependencies (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

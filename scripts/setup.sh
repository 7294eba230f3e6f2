#!/usr/bin/env bash
# One-step set-up of iscc-ts on a fresh Debian 12 machine with Node.js 20 (idempotent):
#  1. the Debian packages the tests and the sdk need, when missing (only as root);
#  2. the npm packages (npm ci, from the lockfile);
#  3. the TypeScript build.
# Run it again at any time; it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: command -> package. Each line says why we need it.
declare -A APT=(
  [chromium]=chromium            # headless browser for the browser conformance and web e2e tests
)

missing=()
for cmd in "${!APT[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${APT[$cmd]}")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: install them with: sudo apt-get install -y ${missing[*]}" >&2
  fi
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund --loglevel=error
echo "setup: build"
npm run build --silent
echo "setup: done. Try: node_modules/.bin/iscc selftest"

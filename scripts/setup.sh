#!/usr/bin/env bash
# One-step set-up of iscc-ts on a fresh Debian 12 machine with Node.js 20 (idempotent):
#  1. the Debian packages the tests and the sdk need, when missing (only as root);
#  2. the npm packages (npm ci, from the lockfile);
#  3. the TypeScript build.
# Run it again at any time; it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests and the sdk need, each with the reason.
PKGS=(
  chromium                # headless browser: browser conformance and web page end-to-end tests
  ffmpeg                  # sdk: video MPEG-7 signatures, audio decoding, ffprobe metadata
  libchromaprint-tools    # sdk: fpcalc, Chromaprint audio fingerprints
  exiv2                   # sdk: image XMP/EXIF/IPTC read and write
  poppler-utils           # sdk: pdftotext/pdfinfo for PDF text
  catdoc                  # sdk: legacy .doc/.xls text (catdoc, xls2csv)
  postgresql              # index and hub: the PostgreSQL backend's tests (started per test run)
)

missing=()
for pkg in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  fi
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund --loglevel=error
echo "setup: build"
npm run build --silent
echo "setup: done. Try: node_modules/.bin/iscc selftest"

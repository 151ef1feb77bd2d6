#!/usr/bin/env bash
# Accessibility and markup check of issue 6: builds the example site for
# http://127.0.0.1:$PORT, validates every page with the Nu HTML checker
# (nu.mjs, vnu-jar, needs Java) and runs axe-core in headless Chromium
# (check.mjs). Needs /usr/bin/chromium (Debian: apt-get install -y chromium),
# java and `npm ci --prefix scripts/a11y-check`. Sends no traffic anywhere but
# 127.0.0.1.
#
#   bash scripts/a11y-check/run.sh                      # check only
#   bash scripts/a11y-check/run.sh --screenshots docs   # and update the screenshots
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${TOOTBRIDGE_A11Y_PORT:-8790}"
site="$(mktemp -d)"
trap 'rm -rf "$site"' EXIT
cargo run --quiet -- --quiet build --base-url "http://127.0.0.1:$port/" --output "$site/public"
node scripts/a11y-check/nu.mjs "$site/public"
node scripts/a11y-check/check.mjs "$site/public" "$port" "$@"

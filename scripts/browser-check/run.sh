#!/usr/bin/env bash
# Browser check of issue 5: builds the payload site of tests/it/xss.rs for
# http://127.0.0.1:$PORT and opens every page in headless Chromium
# (check.mjs). Needs /usr/bin/chromium (Debian: apt-get install -y chromium)
# and playwright-core (npm ci --prefix scripts/browser-check). Sends no
# traffic anywhere but 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${TOOTBRIDGE_PAYLOAD_PORT:-8765}"
site="$(mktemp -d)"
trap 'rm -rf "$site"' EXIT
TOOTBRIDGE_PAYLOAD_SITE="$site/public" TOOTBRIDGE_PAYLOAD_PORT="$port" \
  cargo test --quiet --test it -- --ignored --exact \
  xss::export_payload_site_for_the_browser_check --nocapture
node scripts/browser-check/check.mjs "$site/public" "$port"

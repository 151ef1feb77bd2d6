#!/usr/bin/env bash
# Accessibility and markup check of issue 6: builds the example site (in
# German and in English) for http://127.0.0.1:$PORT, validates every page with the Nu HTML checker
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
# The example site plus a two-part thread (showcase/) whose first page shows
# a content warning, images and a poll at once, for the "every feature" page
# and the screenshot (Mastodon itself allows no poll and media in one toot).
mkdir -p "$site/root"
cp -r site.toml content themes "$site/root/"
cp scripts/a11y-check/showcase/*.json "$site/root/content/toots/social.example/news/"
build() { # LANGUAGE OUTPUT
  sed -i "s/^language = .*/language = \"$1\"/" "$site/root/site.toml"
  cargo run --quiet -- --root "$site/root" --quiet build --base-url "http://127.0.0.1:$port/" --output "$2"
}
# German (the example's language) with screenshots, then the same site with
# the English UI strings and dates.
build de "$site/public"
build en "$site/public-en"
echo "-- German UI (language = \"de\")"
node scripts/a11y-check/nu.mjs "$site/public"
# Screenshots are always made (into the temporary folder unless
# --screenshots DIR says where to keep them).
shots=(--screenshots "$site/screenshots")
[ "$#" -gt 0 ] && shots=("$@")
node scripts/a11y-check/check.mjs "$site/public" "$port" "${shots[@]}"
echo "-- English UI (language = \"en\")"
node scripts/a11y-check/nu.mjs "$site/public-en"
node scripts/a11y-check/check.mjs "$site/public-en" "$port"

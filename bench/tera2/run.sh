#!/usr/bin/env bash
# The Tera 1 / Tera 2 side benchmark of the toot page (issue 19, point 3):
#
#   bench/tera2/run.sh [TOOTS [ROUNDS]]      # default: 1000 toots, 7 rounds
#
# 1. Builds tootbridge and gen_store (release) and a site of TOOTS toots
#    (`gen_store --seed 1 --accounts 3`: text, tags, media, polls, CWs).
# 2. Builds it twice: as it is (the reference pages), and with a theme whose
#    toot.html prints `{{ __tera_context }}`, so every toot page's file is the
#    exact context tootbridge gave Tera for it.
# 3. Builds this crate (its own workspace and target/) twice, without and with
#    Tera 2's "fast" feature, and runs it: it renders every context with Tera 1
#    and with Tera 2 from themes/default/templates/ (the theme is written for
#    Tera 2 since the migration; the only edit the port needed, in
#    partials/media.html, is an argument Tera 1 ignores), checks both against
#    the reference pages, and prints the median time of ROUNDS passes of each.
# The work folder is $BENCH_DIR (default $TMPDIR/tootbridge-tera2).
set -euo pipefail

cd "$(dirname "$0")/../.."
N=${1:-1000}
ROUNDS=${2:-7}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/tootbridge-tera2}
TARGET=${CARGO_TARGET_DIR:-target}
mkdir -p "$WORK"

cargo build --release --quiet --bin tootbridge --example gen_store
site=$WORK/site-$N
if [ ! -f "$site/.complete" ]; then
    rm -rf "$site"
    "$TARGET/release/examples/gen_store" --toots "$N" --out "$site" --seed 1 --accounts 3 >/dev/null
    touch "$site/.complete"
fi
rm -rf "$WORK/ref" "$WORK/ctx" "$WORK/site-ctx"
"$TARGET/release/tootbridge" build --root "$site" --output "$WORK/ref" >/dev/null
# The dump site: the same files (hard links) and one more template.
cp -al "$site" "$WORK/site-ctx"
theme=$(sed -n 's/^theme *= *"\(.*\)"/\1/p' "$site/site.toml")
templates=$WORK/site-ctx/themes/${theme:-default}/templates
mkdir -p "$templates"
rm -f "$templates/toot.html"
printf '%s' '{{ __tera_context }}' >"$templates/toot.html"
"$TARGET/release/tootbridge" build --root "$WORK/site-ctx" --output "$WORK/ctx" >/dev/null

for features in "" "fast"; do
    (cd bench/tera2 && CARGO_TARGET_DIR=target cargo build --release --quiet --features "$features")
    echo
    bench/tera2/target/release/tera2-bench "$WORK/ctx" "$WORK/ref" \
        themes/default/templates themes/default/templates "$ROUNDS"
done

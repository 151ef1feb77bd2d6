#!/usr/bin/env bash
# Runs the .gitlab-ci.yml that `tootbridge init --ci gitlab` writes, for real,
# with gitlab-ci-local (shell executor, no Docker): a new site synced from a
# stand-in instance on 127.0.0.1 (instance.py), its store pushed to a local
# bare repository through TOOTBRIDGE_PUSH_URL. Checks that the first run
# syncs, builds, exports public/ (for Pages without the .tootbridge-*
# bookkeeping) and pushes exactly one commit holding only the store, that a
# second run with nothing new pushes nothing, and that a
# push that cannot go through fails the pipeline. Then
# lints the GitHub workflow `init --ci github` writes, and the release
# workflow, with actionlint, and validates ci/gitlab-release.yml against
# GitLab's schema (the release jobs themselves cannot run here).
#
# Usage: run.sh TOOTBRIDGE_BINARY
#   (after `npm ci --prefix scripts/pipeline-check`; `actionlint` on PATH)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
binary=$(realpath "${1:?usage: run.sh TOOTBRIDGE_BINARY}")
gcl="$here/node_modules/.bin/gitlab-ci-local"
work=$(mktemp -d)
instance=
cleanup() {
  if [ -n "$instance" ]; then kill "$instance" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "pipeline check: $*" >&2; exit 1; }

# The freshly built binary is the `tootbridge` on PATH, so the pipeline's
# install step has nothing to download.
mkdir "$work/bin"
ln -s "$binary" "$work/bin/tootbridge"
export PATH="$work/bin:$PATH"

python3 "$here/instance.py" "$work/port" 2>"$work/instance.log" &
instance=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || fail "the stand-in instance did not start"
port=$(cat "$work/port")

git init --quiet --bare --initial-branch=main "$work/remote.git"
site="$work/site"
tootbridge init "$site" --account @news@127.0.0.1 --title "Amt" --ci gitlab >/dev/null 2>&1
cd "$site"
sed -i "s|^handle = \"@news@127.0.0.1\"|&\ninstance = \"http://127.0.0.1:$port\"|" site.toml
grep -q "^instance = " site.toml || fail "could not point site.toml at the stand-in"
# The legal links a German site must carry, so `check --strict` has nothing
# to warn about on this clean site.
printf '\n[links]\nimprint = "/impressum/"\nprivacy = "/datenschutz/"\naccessibility = "/barrierefreiheit/"\n' >>site.toml
# No Docker here: drop the image (the only key of `default:`).
sed -i -e '/^default:$/d' -e '/^ *image:/d' .gitlab-ci.yml
! grep -n 'image:' .gitlab-ci.yml || fail "an image: line is left in the test copy"
printf '/.gitlab-ci-local/\n' >>.gitignore
git init --quiet --initial-branch=main
git add -A
git -c user.name=editor -c user.email=editor@example.invalid commit --quiet -m "New site"
git remote add origin "$work/remote.git"
git push --quiet origin main

pushed() { git --git-dir="$work/remote.git" rev-list --count main; }
# What GitLab Pages would publish: the pages job's public/ artifact, which
# gitlab-ci-local exports to .gitlab-ci-local/artifacts/pages/. It must hold
# the site and none of the build's .tootbridge-* bookkeeping, which the sync
# job's artifact keeps.
pages_artifact() { # RUN
  local published=.gitlab-ci-local/artifacts/pages/public
  local kept=.gitlab-ci-local/artifacts/sync/public
  [ -f "$published/index.html" ] || fail "run $1: the pages artifact has no public/index.html"
  local left
  left=$(cd "$published" && find . -name '.tootbridge-*' | sort | tr '\n' ' ')
  [ -z "$left" ] || fail "run $1: the pages artifact publishes bookkeeping: $left"
  [ -f "$kept/.tootbridge-toots" ] || fail "run $1: the sync artifact lost the toot index"
  echo "run $1: the pages artifact has $(find "$published" -type f | wc -l) files, index.html, no .tootbridge-* file" \
    "(the sync artifact keeps $(find "$kept" -maxdepth 1 -name '.tootbridge-*' | wc -l))"
}
gitlab_ci_local() { # RUN PUSH_URL
  "$gcl" --shell-executor-no-image --no-color --variable "TOOTBRIDGE_PUSH_URL=$2" >"$work/run$1.log" 2>&1
}
run_pipeline() {
  gitlab_ci_local "$1" "$work/remote.git" ||
    { cat "$work/run$1.log"; fail "gitlab-ci-local run $1 failed"; }
  grep -E '^(sync|pages|check) ' "$work/run$1.log" | grep -E 'finished|failed|warning| > (error|OK)' || true
}

echo "-- first run"
run_pipeline 1
[ "$(pushed)" = 2 ] || { cat "$work/run1.log"; fail "first run: expected 1 pushed commit, the remote has $(($(pushed) - 1))"; }
changed=$(git --git-dir="$work/remote.git" diff --name-only main~1 main)
others=$(grep -v -E '^content/(toots|media|state)/' <<<"$changed" || true)
[ -z "$others" ] || fail "the sync commit holds files outside the store: $others"
grep -q '^content/toots/127.0.0.1/news/' <<<"$changed" || fail "the sync commit holds no toot"
grep -q '^content/media/127.0.0.1/news/' <<<"$changed" || fail "the sync commit holds no media"
git --git-dir="$work/remote.git" log -1 --format='%an <%ae>: %s' main
git --git-dir="$work/remote.git" log -1 --format=%s main | grep -qF '[skip ci]' ||
  fail "the sync commit does not say [skip ci]"
toots=$(grep -c '^content/toots/' <<<"$changed")
[ "$toots" = 45 ] || fail "expected 45 stored toots, the commit has $toots"
[ -f public/index.html ] || fail "public/index.html was not exported"
grep -q 'Das Amt hat ein neues Schild' public/index.html || fail "public/index.html lacks the newest toot"
echo "first run: pushed 1 commit with $toots toots; public/ exported"
pages_artifact 1
# The gate may fail without stopping pages; on this clean site (alt text,
# media mirrored) it must pass, once the binary has `check --strict`.
if tootbridge check --help | grep -q -- '--strict'; then
  ! grep -E '^check +finished.*WARN' "$work/run1.log" || fail "check --strict failed on a clean site"
else
  echo "(this binary has no check --strict yet: the allowed-to-fail check job fails)"
fi

echo "-- second run (nothing new)"
run_pipeline 2
[ "$(pushed)" = 2 ] || fail "second run pushed $(($(pushed) - 2)) commit(s); expected none"
grep -q "The store is unchanged: nothing to push." "$work/run2.log" ||
  { cat "$work/run2.log"; fail "second run did not report an unchanged store"; }
echo "second run: pushed nothing"
# The jobs share the site folder here (shell executor, no isolation), so the
# pages job of the first run removed the records from ./public too: this
# run's build found none (a full build) and still left the store as it was.
pages_artifact 2

echo "-- third run: the push is rejected"
# A copy of the remote whose hook refuses every push (fetching still works).
git clone --quiet --bare "$work/remote.git" "$work/rejecting.git"
printf '#!/bin/sh\necho "test remote: push refused" >&2\nexit 1\n' >"$work/rejecting.git/hooks/pre-receive"
chmod +x "$work/rejecting.git/hooks/pre-receive"
# A new toot, so sync has something to commit.
touch "$work/port.newer"
if gitlab_ci_local 3 "$work/rejecting.git"; then
  cat "$work/run3.log"
  fail "the pipeline passed although its push was rejected"
fi
grep -F "test remote: push refused" "$work/run3.log" | head -n 1 ||
  { cat "$work/run3.log"; fail "the third run failed, but not at the push"; }
[ "$(git --git-dir="$work/rejecting.git" rev-list --count main)" = 2 ] ||
  fail "the rejecting remote changed"
echo "third run: the rejected push failed the pipeline"

echo "-- actionlint: the workflow init --ci github writes, and the release workflow"
tootbridge init "$work/gh" --ci github >/dev/null 2>&1
actionlint -version | head -n 1
actionlint "$work/gh/.github/workflows/tootbridge.yml" "$repo/.github/workflows/release.yml"
echo "actionlint: no findings"

echo "-- GitLab's schema: ci/gitlab-release.yml"
cp "$repo/ci/gitlab-release.yml" "$site/release.yml"
"$gcl" --file release.yml --list >"$work/release.log" 2>&1 ||
  { cat "$work/release.log"; fail "ci/gitlab-release.yml does not validate"; }
grep -F "json schema validated" "$work/release.log"
echo "pipeline check: OK"

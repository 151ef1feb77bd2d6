#!/usr/bin/env bash
# The network tests (tests/it/net_*.rs) once more inside a network namespace
# that has only loopback: no route out and no DNS, like an agency network
# where outside names do not resolve. There the stand-in instance's name
# exists only for the test's forward proxy, so a sync that passes has let the
# proxy resolve it. Needs root (unshare -n); skips with a message otherwise.
# Prints the figures the tests measure (tunnels, seconds to give up).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  echo "netns-check: skipped: needs root for 'unshare -n'"
  exit 0
fi
if ! unshare -n true 2>/dev/null; then
  echo "netns-check: skipped: this machine does not allow new network namespaces"
  exit 0
fi
if ! command -v ip >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq iproute2 >/dev/null
fi

# The already built test binary (cargo builds it only if it is stale).
bin=$(cargo test --test it --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "it":
        print(m["executable"])')
[ -x "$bin" ] || { echo "netns-check: no test binary found"; exit 1; }

log=$(mktemp)
# --nocapture so the tests' measurements reach the log.
unshare -n sh -c 'ip link set lo up && ip -brief link && exec "$0" --nocapture --test-threads=2 net_' "$bin" 2>&1 | tee "$log"
grep -q "skipped: not in a loopback-only" "$log" && { echo "netns-check: the namespace was not loopback-only"; exit 1; }
echo "netns-check figures:"
grep -E "tunnels seen|gave up after" "$log" | sed 's/^/  /'
rm -f "$log"

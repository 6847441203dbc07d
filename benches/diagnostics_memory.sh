#!/usr/bin/env bash
# What printing many problems costs: peak memory and time of `lode check`
# on notes that each hold thousands of broken heading links (issue 13).
#
#   bash benches/diagnostics_memory.sh [--lode PATH] [--notes N] [--links N] [--kb N] [--keep]
#
#   --lode PATH  the `lode` binary to measure (default: target/release/lode,
#                built first with `cargo build --release`)
#   --notes N    big notes in the site (default 1)
#   --links N    broken `[[target#missing-K]]` links in each big note (default 2000)
#   --kb N       size of each big note in KB (default 900)
#   --keep       keep the temporary site
#
# Writes a site with `[links] level = "warning"` (so every broken link is a
# warning and the check succeeds), N big notes and the note they link to,
# then runs `lode check --root SITE` under `/usr/bin/time -v`, once with the
# human output (codespan-reporting, each problem with its source line) and
# once with `--format json`, and prints wall time, peak RSS and the number of
# problems printed. Memory must grow with the files plus the problems, not
# with problems times file size.
set -euo pipefail

lode=""
notes=1
links=2000
kb=900
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --lode) lode="$2"; shift ;;
        --notes) notes="$2"; shift ;;
        --links) links="$2"; shift ;;
        --kb) kb="$2"; shift ;;
        --keep) keep=1 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

here="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "$lode" ]; then
    (cd "$here" && cargo build --release --quiet)
    lode="${CARGO_TARGET_DIR:-$here/target}/release/lode"
fi

work="$(mktemp -d)"
if [ "$keep" = 0 ]; then trap 'rm -rf "$work"' EXIT; fi
site="$work/site"
mkdir -p "$site/content"
printf 'title = "Diagnostics memory"\n[links]\nlevel = "warning"\n[search]\nenabled = false\n' >"$site/site.toml"
printf '# Target\n\n## Only heading\n\nText.\n' >"$site/content/target.md"

python3 - "$site/content" "$notes" "$links" "$kb" <<'EOF'
import sys
folder, notes, links, kb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. "
target = kb * 1000
for n in range(notes):
    lines = ["# Big %d" % n, ""]
    size = 0
    # Spread the links evenly through the file, one paragraph each.
    per_paragraph_text = max(0, target // max(links, 1) - 40)
    for k in range(links):
        paragraph = (filler * (per_paragraph_text // len(filler) + 1))[:per_paragraph_text]
        lines.append("%s See [[Target#missing-%d]]." % (paragraph, k))
        lines.append("")
    with open("%s/big%d.md" % (folder, n), "w") as f:
        f.write("\n".join(lines))
EOF

echo "site: $notes note(s) of $(du -k "$site/content/big0.md" | cut -f1) KB, $links broken links each; lode: $lode"
printf '%-8s %10s %14s %10s\n' format "wall s" "peak RSS MiB" problems
for format in human json; do
    out="$work/out-$format"
    /usr/bin/time -v -o "$work/time-$format" "$lode" check --root "$site" --format "$format" >"$out" 2>&1 || true
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time-$format")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time-$format")
    if [ "$format" = json ]; then
        count=$(grep -c '"severity"' "$out" || true)
    else
        count=$(grep -c '^warning' "$out" || true)
    fi
    printf '%-8s %10s %14s %10s\n' "$format" "$wall" "$rss" "$count"
done

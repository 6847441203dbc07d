#!/usr/bin/env bash
# Packs one release build of `lode` for download, with its checksum:
#
#   scripts/package-release.sh TARGET BINARY OUTDIR
#
# writes OUTDIR/lode-VERSION-TARGET.tar.gz (a .zip for a Windows target) and
# OUTDIR/lode-VERSION-TARGET.tar.gz.sha256, the line `sha256sum` prints
# (`HASH  NAME`), which `sha256sum -c` checks in OUTDIR. VERSION is
# Cargo.toml's. The archive holds one folder, lode-VERSION-TARGET/, with the
# binary (`lode`, or `lode.exe`), README.md, CHANGELOG.md, LICENSE-MIT and
# LICENSE-APACHE, as ripgrep's and most Rust tools' archives do.
# scripts/install-lode.sh (the GitHub Action's) downloads these names.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 TARGET BINARY OUTDIR" >&2
  exit 2
fi
target="$1"
binary="$2"
outdir="$3"
repo="$(cd "$(dirname "$0")/.." && pwd)"

if [ ! -f "$binary" ]; then
  echo "error: $binary: no such file; build it first: cargo build --release --locked --target $target" >&2
  exit 1
fi
# The [package] version: the first `version = "…"` line of Cargo.toml.
version="$(sed -n 's/^version = "\([^"]*\)".*/\1/p' "$repo/Cargo.toml" | head -n 1)"
if [ -z "$version" ]; then
  echo "error: $repo/Cargo.toml: no version line" >&2
  exit 1
fi

name="lode-$version-$target"
case "$target" in
  *windows*) exe="lode.exe"; archive="$name.zip" ;;
  *) exe="lode"; archive="$name.tar.gz" ;;
esac

mkdir -p "$outdir"
outdir="$(cd "$outdir" && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$binary" "$stage/$name/$exe"
chmod 755 "$stage/$name/$exe"
for file in README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE; do
  cp "$repo/$file" "$stage/$name/$file"
done

rm -f "$outdir/$archive" "$outdir/$archive.sha256"
case "$archive" in
  *.zip)
    if command -v zip >/dev/null; then
      (cd "$stage" && zip -q -r -X "$outdir/$archive" "$name")
    else # Windows runners have 7-Zip, and not always zip
      (cd "$stage" && 7z a -tzip -bso0 "$outdir/$archive" "$name")
    fi
    ;;
  *)
    if tar --version 2>/dev/null | grep -q GNU; then
      # Owner and group 0 and a sorted file list: the archive depends on its
      # files only, not on who built it.
      (cd "$stage" && tar --owner=0 --group=0 --numeric-owner --sort=name -czf "$outdir/$archive" "$name")
    else # BSD tar (macOS)
      (cd "$stage" && tar --uid 0 --gid 0 -czf "$outdir/$archive" "$name")
    fi
    ;;
esac

if command -v sha256sum >/dev/null; then
  (cd "$outdir" && sha256sum "$archive" >"$archive.sha256")
else # macOS
  (cd "$outdir" && shasum -a 256 "$archive" >"$archive.sha256")
fi
echo "$outdir/$archive"
echo "$outdir/$archive.sha256"

#!/usr/bin/env bash
# Installs a released `lode` binary, checked against its published SHA-256
# (what the GitHub Action in action.yml runs; it works on any Linux, macOS or
# Windows (Git Bash) machine with curl):
#
#   scripts/install-lode.sh VERSION DEST     # install lode (lode.exe) into DEST
#   scripts/install-lode.sh --resolve VERSION
#       # print `version=X.Y.Z` and `target=TRIPLE`, the lines the Action adds
#       # to $GITHUB_OUTPUT for its cache key
#
# VERSION is X.Y.Z, vX.Y.Z or `latest` (the newest release, found from the
# redirect of LODE_DOWNLOAD_BASE/latest). The archive and its checksum are
# LODE_DOWNLOAD_BASE/download/vX.Y.Z/lode-X.Y.Z-TARGET.tar.gz (.zip on
# Windows) and the same name + .sha256, as scripts/package-release.sh names
# them. Environment:
#   LODE_DOWNLOAD_BASE  default https://github.com/lode-notes/lode/releases
#                       (any URL curl reads, file:// included)
#   LODE_TARGET         default: this machine's (x86_64 or aarch64 Linux, musl;
#                       x86_64 or aarch64 macOS; x86_64 Windows)
# A DEST that already holds lode VERSION is left as it is (the Action's cache).
# A download whose checksum differs is refused and nothing is installed.
set -euo pipefail

base="${LODE_DOWNLOAD_BASE:-https://github.com/lode-notes/lode/releases}"
base="${base%/}"
releases="https://github.com/lode-notes/lode/releases"

fail() {
  echo "error: $1" >&2
  [ $# -lt 2 ] || echo "help: $2" >&2
  exit 1
}

detect_target() {
  local os arch
  case "$(uname -s)" in
    Linux) os="unknown-linux-musl" ;;
    Darwin) os="apple-darwin" ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) os="pc-windows-msvc" ;;
    *) os="" ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64 | AMD64) arch="x86_64" ;;
    aarch64 | arm64 | ARM64) arch="aarch64" ;;
    *) arch="" ;;
  esac
  if [ -z "$os" ] || [ -z "$arch" ] || [ "$os-$arch" = "pc-windows-msvc-aarch64" ]; then
    fail "no release binary for this machine ($(uname -s) $(uname -m))" \
      "releases are built for x86_64 and aarch64 Linux and macOS and x86_64 Windows; elsewhere, install from crates.io: cargo install --locked lode-notes"
  fi
  echo "$arch-$os"
}

resolve_version() {
  local wanted="$1" url
  if [ "$wanted" = "latest" ]; then
    url="$(curl -fsSLI -o /dev/null -w '%{url_effective}' "$base/latest")" ||
      fail "could not find the latest release at $base/latest" "name a version instead, such as 0.1.0 (see $releases)"
    wanted="${url##*/}"
  fi
  wanted="${wanted#v}"
  [[ "$wanted" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] ||
    fail "\"$1\" is not a version" "write a released version such as 0.1.0, or latest (see $releases)"
  echo "$wanted"
}

sha256_of() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d ' ' -f 1
  else
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

if [ "${1:-}" = "--resolve" ] && [ $# -eq 2 ]; then
  version="$(resolve_version "$2")"
  target="${LODE_TARGET:-$(detect_target)}"
  echo "version=$version"
  echo "target=$target"
  exit 0
fi
if [ $# -ne 2 ]; then
  echo "usage: $0 VERSION DEST | $0 --resolve VERSION" >&2
  exit 2
fi

version="$(resolve_version "$1")"
dest="$2"
target="${LODE_TARGET:-$(detect_target)}"
name="lode-$version-$target"
case "$target" in
  *windows*) exe="lode.exe"; archive="$name.zip" ;;
  *) exe="lode"; archive="$name.tar.gz" ;;
esac

if [ -x "$dest/$exe" ] && "$dest/$exe" --version 2>/dev/null | grep -q "^lode $version "; then
  echo "lode $version is already in $dest"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
url="$base/download/v$version/$archive"
for file in "$archive" "$archive.sha256"; do
  curl -fsSL --retry 3 -o "$work/$file" "$base/download/v$version/$file" ||
    fail "could not download $base/download/v$version/$file" \
      "check that Lode $version was released for $target: $releases/tag/v$version"
done

expected="$(cut -d ' ' -f 1 <"$work/$archive.sha256" | head -n 1 | tr 'A-F' 'a-f')"
[[ "$expected" =~ ^[0-9a-f]{64}$ ]] || fail "$url.sha256 holds no SHA-256" "download it again; if it stays wrong, report it at https://github.com/lode-notes/lode/issues"
actual="$(sha256_of "$work/$archive")"
if [ "$actual" != "$expected" ]; then
  fail "checksum mismatch for $archive: expected $expected, got $actual; the download is damaged or not the released file, and nothing was installed" \
    "run again to download it anew; if it keeps failing, report it at https://github.com/lode-notes/lode/issues"
fi

mkdir "$work/unpacked"
case "$archive" in
  *.zip)
    if command -v unzip >/dev/null; then
      unzip -q "$work/$archive" -d "$work/unpacked"
    else
      7z x -bso0 "-o$work/unpacked" "$work/$archive"
    fi
    ;;
  *) tar -xzf "$work/$archive" -C "$work/unpacked" ;;
esac
[ -f "$work/unpacked/$name/$exe" ] || fail "$archive holds no $name/$exe" "report it at https://github.com/lode-notes/lode/issues"

mkdir -p "$dest"
cp "$work/unpacked/$name/$exe" "$dest/$exe.part"
chmod 755 "$dest/$exe.part"
mv -f "$dest/$exe.part" "$dest/$exe"
echo "Installed lode $version ($target) in $dest"

#!/usr/bin/env bash
# Prints the notes of one release: the body of its section in CHANGELOG.md
# (Keep a Changelog: from `## [VERSION]` to the next `## ` heading or the
# link definitions at the end), without the heading, leading and trailing blank
# lines trimmed.
#
#   scripts/release-notes.sh VERSION [CHANGELOG]    # VERSION: 0.1.0 or v0.1.0
#
# Fails, naming the file, when the version has no section or an empty one:
# the release workflow runs it before anything is published.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 VERSION [CHANGELOG]" >&2
  exit 2
fi
version="${1#v}"
changelog="${2:-$(dirname "$0")/../CHANGELOG.md}"
if [ ! -f "$changelog" ]; then
  echo "error: $changelog not found" >&2
  exit 1
fi

notes="$(awk -v want="## [$version]" '
  index($0, "## ") == 1 { if (inside) exit; inside = (index($0, want) == 1); next }
  inside && /^\[[^]]+\]: / { exit }
  inside { print }
' "$changelog" | sed -e '/./,$!d')"

if [ -z "$notes" ]; then
  echo "error: $changelog has no notes for version $version" >&2
  echo "help: add a section \`## [$version] - YYYY-MM-DD\` with what changed, then tag again" >&2
  exit 1
fi
printf '%s\n' "$notes"

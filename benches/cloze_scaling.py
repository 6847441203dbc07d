#!/usr/bin/env python3
"""How the revision data's cloze cards scale: builds generated sites with
`lode build -v` and prints the time of its "study data" stage.

Usage: python3 benches/cloze_scaling.py [LODE_BINARY]   (default: target/release/lode)

Two shapes, each a note marked as cards (`cards = true`):
- one paragraph holding N cloze deletions `==cK==` (N = 500, 1000, 2000):
  N cards, each the whole paragraph with one deletion hidden;
- P paragraphs of 3 deletions each (P = 600, 1200).
A linear stage grows about as its output (revise.json's cloze text, which
for one paragraph of N deletions is N copies of the paragraph) grows.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

LODE = sys.argv[1] if len(sys.argv) > 1 else "target/release/lode"


def site(body):
    root = Path(tempfile.mkdtemp(prefix="lode-cloze-"))
    (root / "content").mkdir()
    (root / "site.toml").write_text('title = "Clozes"\nbase_url = "https://example.org/"\n')
    (root / "content" / "_index.md").write_text("# Home\n\n[[Clozes]]\n")
    (root / "content" / "clozes.md").write_text('+++\ntitle = "Clozes"\ncards = true\n+++\n' + body)
    return root


def study_data_ms(root):
    """The "study data" stage's time in ms, and revise.json's size in MB."""
    run = subprocess.run([LODE, "build", "-v"], cwd=root, capture_output=True, text=True)
    both = run.stdout + run.stderr
    m = re.search(r"study data\D*([\d.]+)\s*(ms|s|µs)", both)
    if run.returncode != 0 or not m:
        sys.exit(f"lode build failed or printed no 'study data' time:\n{both}")
    data = root / "public" / "_lode" / "revise.json"
    size = data.stat().st_size / 1e6 if data.is_file() else float("nan")
    shutil.rmtree(root)
    value, unit = float(m.group(1)), m.group(2)
    return value * {"s": 1000.0, "ms": 1.0, "µs": 0.001}[unit], size


def main():
    for n in (500, 1000, 2000):
        body = " ".join(f"Word ==c{k}== and" for k in range(n)) + "\n"
        ms, mb = study_data_ms(site(body))
        print(f"one paragraph, {n:5} deletions: study data {ms:9.1f} ms, revise.json {mb:7.1f} MB")
    for p in (600, 1200):
        body = "".join(f"Para {k}: ==a{k}== then ==b{k}== and ==c{k}==.\n\n" for k in range(p))
        ms, mb = study_data_ms(site(body))
        print(f"{p:5} paragraphs of 3 deletions: study data {ms:9.1f} ms, revise.json {mb:7.1f} MB")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""What a note page weighs: HTML bytes and the scripts and styles it loads.

    python3 benches/page_weight.py OUTPUT [LABEL]

Reads every `*.html` under OUTPUT (a built site: Lode's or Hugo's) and keeps
the note pages, those holding `<article class="note"` (Lode's flagship
`note.html`, benches/minimal-templates/note.html and the Hugo layouts of
benches/hugo_site.py all mark a note so). For each it counts:

- HTML: the page file's bytes, and gzipped (level 6, as a server would send it);
- JS: bytes of every `<script src=…>` the page names (the file under OUTPUT,
  resolved relative to the page) plus inline `<script>` text;
- CSS: bytes of every `<link rel="stylesheet" href=…>` plus inline `<style>` text.

Only what the page's own tags load is counted: what a script fetches later
(the search index's JSON files on the first search, link-preview shards on
hover) is not. Prints one line: LABEL, note pages, HTML median / p95 / max,
gzipped HTML median, JS and CSS median per page. With `--header` first prints the column names (alone, without
OUTPUT).
"""
import gzip
import os
import re
import statistics as st
import sys

NOTE = re.compile(rb'<article class="note"[\s>]')
# `\s` before the attribute: not `data-src=` (changes.js's data file).
SCRIPT_SRC = re.compile(rb'<script\b[^>]*?\ssrc="([^"]+)"', re.I)
INLINE_SCRIPT = re.compile(rb"<script\b(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.I | re.S)
STYLESHEET = re.compile(rb'<link\b(?=[^>]*\srel="stylesheet")[^>]*?\shref="([^"]+)"', re.I)
INLINE_STYLE = re.compile(rb"<style\b[^>]*>(.*?)</style>", re.I | re.S)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    args = [a for a in sys.argv[1:] if a != "--header"]
    header = f"{'output':<22} {'notes':>6} {'HTML med':>9} {'HTML p95':>9} {'HTML max':>9} {'gz med':>7} {'JS med':>8} {'CSS med':>8}"
    if not args and "--header" in sys.argv:
        print(header)  # the column names alone, for a table of several outputs
        return
    if not args:
        sys.exit(__doc__)
    root = os.path.abspath(args[0])
    label = args[1] if len(args) > 1 else os.path.basename(root)
    sizes = {}

    def size(page, url):
        url = url.decode("utf-8", "replace").split("#")[0].split("?")[0]
        if re.match(r"^[a-z]+:|^//", url):
            return 0  # another host: not in the output
        path = os.path.join(root, url.lstrip("/")) if url.startswith("/") else os.path.join(os.path.dirname(page), url)
        path = os.path.normpath(path)
        if path not in sizes:
            sizes[path] = os.path.getsize(path) if os.path.isfile(path) else 0
        return sizes[path]

    html, gz, js, css = [], [], [], []
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".html"):
                continue
            page = os.path.join(folder, name)
            with open(page, "rb") as f:
                text = f.read()
            if not NOTE.search(text):
                continue
            html.append(len(text))
            gz.append(len(gzip.compress(text, 6)))
            js.append(sum(size(page, u) for u in SCRIPT_SRC.findall(text))
                      + sum(len(s) for s in INLINE_SCRIPT.findall(text)))
            css.append(sum(size(page, u) for u in STYLESHEET.findall(text))
                       + sum(len(s) for s in INLINE_STYLE.findall(text)))
    if "--header" in sys.argv:
        print(header)
    if not html:
        print(f"{label:<22} {0:>6}  (no note pages: no <article class=\"note\">)")
        return
    print(f"{label:<22} {len(html):>6} {st.median(html):>9.0f} {pct(html, 95):>9} {max(html):>9} "
          f"{st.median(gz):>7.0f} {st.median(js):>8.0f} {st.median(css):>8.0f}")


if __name__ == "__main__":
    main()

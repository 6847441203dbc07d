#!/usr/bin/env python3
"""What a build made of a vault: callouts and formulas written against those
rendered, and every page-relative `src`/`href` of the output followed to a
file (and `#fragment` to an id).

    python3 benches/vault_report.py VAULT OUTPUT [--show N]

VAULT is the folder of notes (hidden folders are skipped, as Lode skips
them); OUTPUT is the folder Lode wrote. Counts in the source are read
outside fenced code and inline code:

- a callout is a block quote line `> [!type]` (at any quote depth);
- a formula is `$$…$$` or `$…$` as pulldown-cmark's math extension reads it
  (an opening `$` not followed by a space, a closing `$` not preceded by
  one), which is an estimate: the rendered count is exact.

In the output, a callout is an element with class `callout`, a formula a
`<math>` element, a formula Lode could not render an element with class
`math-error`. HTML files copied from the vault are attachments, not pages,
and are not read. Root-absolute URLs are read from OUTPUT's root. Links with a scheme and protocol-relative links are not followed.

Prints one line per figure and the first N broken links (default 10).
Standard library only.
"""

import html.parser
import os
import re
import sys
import urllib.parse

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
QUOTES = re.compile(r"^\s*(?:>\s?)+")
CALLOUT = re.compile(r"^\s*(?:>\s*)+\[![^\]\s]+\]")
INLINE_CODE = re.compile(r"(`+).+?\1", re.S)
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?=[^\s$])((?:\\.|[^$\\\n])+?)(?<=[^\s\\])\$(?!\$)")


def notes(vault):
    for folder, dirs, files in os.walk(vault):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".md") and not name.startswith("."):
                yield os.path.join(folder, name)


def source_counts(vault):
    n_notes = callouts = formulas = 0
    for path in notes(vault):
        n_notes += 1
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        kept, fence = [], None
        for line in text.split("\n"):
            # A fence inside a block quote (a callout showing code) counts too.
            m = FENCE.match(QUOTES.sub("", line))
            if fence is None and m:
                fence = m.group(1)[0] * len(m.group(1))
                continue
            if fence is not None:
                if QUOTES.sub("", line).strip().startswith(fence):
                    fence = None
                continue
            if CALLOUT.match(line):
                callouts += 1
            kept.append(line)
        prose = INLINE_CODE.sub(" ", "\n".join(kept))
        formulas += len(DISPLAY_MATH.findall(prose))
        formulas += len(INLINE_MATH.findall(DISPLAY_MATH.sub(" ", prose)))
    return n_notes, callouts, formulas


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.ids = [], set()
        self.base = None  # the page's <base href> (the shared shards under _lode/ have one)
        self.callouts = self.math = self.math_errors = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        classes = (a.get("class") or "").split()
        if "callout" in classes:
            self.callouts += 1
        if "math-error" in classes:
            self.math_errors += 1
        if tag == "math":
            self.math += 1
        if tag == "base" and a.get("href") is not None and self.base is None:
            self.base = a["href"]
        for key in ("href", "src"):
            if a.get(key) is not None and tag not in ("base",):
                self.links.append((tag, key, a[key]))


def external(url):
    return url.startswith("//") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url) is not None


def main():
    args = sys.argv[1:]
    show = 10
    if "--show" in args:
        i = args.index("--show")
        show = int(args[i + 1])
        del args[i : i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    vault, out = args
    n_notes, callouts, formulas = source_counts(vault)
    pages, ids = {}, {}
    for folder, _, files in os.walk(out):
        for name in files:
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                if os.path.isfile(os.path.join(vault, os.path.relpath(path, out))):
                    continue  # an attachment: an HTML file of the vault, copied as it is
                p = Page()
                with open(path, encoding="utf-8", errors="replace") as f:
                    p.feed(f.read())
                pages[path] = p
                ids[os.path.realpath(path)] = p.ids
    checked, broken = 0, []
    for path, p in pages.items():
        if os.path.basename(path) == "404.html":
            continue  # absolute URLs on purpose (served at any depth)
        for tag, key, url in p.links:
            if not url or external(url):
                continue
            checked += 1
            parts = urllib.parse.urlsplit(url)
            target = os.path.dirname(path)
            if p.base is not None:
                target = os.path.normpath(os.path.join(target, p.base))
            if parts.path:
                # A root-absolute URL (a canonical link with no base URL) is read from the output's root.
                base = out if parts.path.startswith("/") else target
                target = os.path.normpath(os.path.join(base, urllib.parse.unquote(parts.path).lstrip("/")))
                if parts.path.endswith("/") or os.path.isdir(target):
                    target = os.path.join(target, "index.html")
            else:
                target = path
            if not os.path.isfile(target):
                broken.append(f"{os.path.relpath(path, out)}: <{tag} {key}=\"{url}\">: no file")
                continue
            frag = urllib.parse.unquote(parts.fragment)
            if frag and target.endswith(".html") and frag not in ids.get(os.path.realpath(target), set()):
                broken.append(f"{os.path.relpath(path, out)}: <{tag} {key}=\"{url}\">: no id \"{frag}\"")
    rendered_callouts = sum(p.callouts for p in pages.values())
    rendered_math = sum(p.math for p in pages.values())
    math_errors = sum(p.math_errors for p in pages.values())
    print(f"notes: {n_notes}")
    print(f"pages: {len(pages)}")
    print(f"callouts: {rendered_callouts} rendered (source has {callouts}; embeds can repeat one)")
    print(f"formulas: {rendered_math} rendered as MathML, {math_errors} left as TeX (source has about {formulas})")
    print(f"links followed: {checked}, broken: {len(broken)}")
    for b in broken[:show]:
        print("  " + b)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Turns a Lode corpus (benches/corpus.rs) into the equivalent Hugo site.

    python3 benches/hugo_site.py LODE_SITE HUGO_SITE

Same notes in the same folders, same TOML front matter (Hugo reads `title`,
`summary`, `tags`, `date`, `weight`; `[extra]` and `[[questions]]` become page
params it ignores), and every wikilink becomes an ordinary Markdown link with
a page-relative URL (`[[Title#Key figures|text]]` -> `[text](../../minerals/x/#key-figures)`).
Collections become sections (`_index.md` keeps its front matter), tags a
taxonomy.

The layouts are a minimal equivalent of Lode's default templates: a base with
the site title and stylesheet link, a note page with title, summary, tags
(linked to their term pages), the table of contents, the body, reading time
and previous/next in the section; section and term pages listing their notes
(title, summary); a tag index; the home page listing sections. Hugo has no
backlinks (computing them in a template is quadratic), no self-test questions
and no facts table from `[extra]`: Lode's pages carry more.
"""
import os
import re
import sys

LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ .Site.Params.description }}{{ end }}">
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><header><a href="{{ "" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ .Site.Title }}</footer></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article class="note">
<header><nav aria-label="Breadcrumb"><a href="{{ "" | relURL }}">Home</a> › {{ with .Parent }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
<h1>{{ .Title }}</h1>{{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
{{ with .GetTerms "tags" }}<ul class="tags">{{ range . }}<li><a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
</header>
<nav class="toc">{{ .TableOfContents }}</nav>
<div class="note-body">{{ .Content }}</div>
<p>{{ .WordCount }} words, {{ .ReadingTime }} min</p>
<nav class="pager">{{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}{{ .Content }}
<ul class="cards">{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.summary }} <span>{{ . }}</span>{{ end }}</li>{{ end }}</ul>
{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>Tags</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">#{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>{{ end }}</ul>
{{ end }}
""",
}

CONFIG = """baseURL = "https://example.org/"
title = "{title}"
languageCode = "en"
relativeURLs = true
disableKinds = []
enableRobotsTXT = true
[params]
description = "A generated site for benchmarking."
[taxonomies]
tag = "tags"
[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]
page = ["HTML"]
[markup.goldmark.renderer]
unsafe = true
[markup.tableOfContents]
startLevel = 2
endLevel = 3
"""

WIKILINK = re.compile(r"\[\[([^\]|#]+)(?:#([^\]|]+))?(?:\|([^\]]+))?\]\]")


def anchor(heading):
    """Hugo's (and Lode's) id of a heading made of ASCII words."""
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def main():
    src, dst = sys.argv[1], sys.argv[2]
    content = os.path.join(src, "content")
    notes = {}  # relative path without .md -> (front, body)
    titles = {}  # title -> permalink path ("minerals/x/")
    for folder, _, files in os.walk(content):
        for name in files:
            if not name.endswith(".md"):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, content)[:-3]
            with open(path, encoding="utf-8") as f:
                text = f.read()
            _, front, body = text.split("+++\n", 2)
            notes[rel] = (front, body)
            m = re.search(r'^title = "(.*)"$', front, re.M)
            if m and not name.startswith("_index"):
                titles[m.group(1)] = rel + "/"
    os.makedirs(os.path.join(dst, "content"), exist_ok=True)
    with open(os.path.join(src, "site.toml"), encoding="utf-8") as f:
        title = re.search(r'^title = "(.*)"$', f.read(), re.M).group(1)
    with open(os.path.join(dst, "hugo.toml"), "w", encoding="utf-8") as f:
        f.write(CONFIG.format(title=title))
    for rel, (front, body) in notes.items():
        depth = rel.count("/") + 1 if not rel.endswith("_index") else rel.count("/")
        up = "../" * depth

        def link(m):
            target, heading, text = m.group(1), m.group(2), m.group(3)
            url = up + titles[target] + ("#" + anchor(heading) if heading else "")
            return f"[{text or (heading and target + ' › ' + heading) or target}]({url})"

        # `sort_by` is Lode's; Hugo sorts sections by weight, date, title itself.
        front = re.sub(r'^sort_by = ".*"\n', "", front, flags=re.M)
        out = os.path.join(dst, "content", rel + ".md")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w", encoding="utf-8") as f:
            f.write("+++\n" + front + "+++\n" + WIKILINK.sub(link, body))
    for name, text in LAYOUTS.items():
        out = os.path.join(dst, "layouts", name)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
    os.makedirs(os.path.join(dst, "static"), exist_ok=True)
    with open(os.path.join(dst, "static", "style.css"), "w", encoding="utf-8") as f:
        f.write("body { font-family: sans-serif; }\n")


if __name__ == "__main__":
    main()

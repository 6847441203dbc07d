#!/usr/bin/env python3
"""Adds a ```query block to one note in EVERY of a generated corpus
(`cargo bench --bench corpus -- DIR N`), to time queries (issue 20):

    python3 benches/add_queries.py DIR [EVERY=20]

The queries read the generated collections' `[extra]` fields (symbol,
share, rank) and tags: a table over a collection filtered, sorted and
limited; a list over a tag; a table sorted by title; a filtered list.
Each collection holds about N/8 notes, so each query reads that many.
"""
import pathlib
import sys

QUERIES = [
    'table symbol, share as "Share (%)"\nfrom minerals\nwhere share >= 30\nsort share desc\nlimit 10\n',
    'list symbol\nfrom #battery\nwhere symbol != "Cobalt"\nsort symbol, title\nlimit 20\n',
    'table rank, tags\nfrom countries\nsort title desc\nlimit 25\n',
    'list\nfrom programmes\nwhere rank < 20 or share > 95\n',
]

root = pathlib.Path(sys.argv[1])
every = int(sys.argv[2]) if len(sys.argv) > 2 else 20
notes = sorted(p for p in (root / "content").rglob("*.md") if p.name != "_index.md")
added = 0
for i, path in enumerate(notes):
    if i % every:
        continue
    text = path.read_text()
    path.write_text(f"{text}\n```query\n{QUERIES[added % len(QUERIES)]}```\n")
    added += 1
print(f"added {added} queries to {len(notes)} notes under {root}")

#!/usr/bin/env python3
"""What a built site's search index gives away: reads the indexed text of
every page in OUTPUT/_lode/search/pages/*.json (Lode's own index, format 1)
and OUTPUT/_lode/revise.json, and counts the revision answers found in it.

Usage: python3 benches/search_spoilers.py OUTPUT

Counted, each as text normalised to single spaces with tags and entities
resolved:
- "Answer:" anywhere (the label of a question's hidden answer);
- each question's explanation (a sentence of its own, never page text);
- each body flashcard's back (authored cards, reverse sides and clozes):
  for a card whose back also appears in its note's own prose (a cloze's
  paragraph), it is counted only if the card's own markup leaks, so this
  counts the backs that are nowhere else on the page; a two-way card's
  back is the front of its reverse, searched by design, and not counted;
- chrome: "min read", "Show answer", "Key facts", "Test yourself".
Cards made from declared [extra] fields are listed apart: their backs are
the facts box's values, which stay searchable as page content.
"""

import html
import json
import re
import sys
from pathlib import Path


def plain(text):
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = Path(sys.argv[1])
    contents = []
    fragments = sorted((out / "_lode" / "search" / "pages").glob("*.json"), key=lambda p: int(p.stem))
    for path in fragments:
        # The indexed text is plain text already (display words joined by spaces).
        contents.extend(" ".join(p["text"].split()) for p in json.loads(path.read_text()))
    index = "\n".join(contents)
    revise = json.loads((out / "_lode" / "revise.json").read_text())

    def found(text):
        text = plain(text)
        return bool(text) and text in index

    explanations = [q for q in revise["questions"] if q["explanation"]]
    leaked = [q["id"] for q in explanations if found(q["explanation"])]
    body_cards = [c for c in revise["cards"] if "#field-" not in c["id"]]
    # A cloze's back is its paragraph, which is page prose: only its marked
    # deletion is the answer. Other backs are the card's own text.
    def back_leaks(card):
        if "-c" in card["id"].rsplit("#", 1)[-1]:
            deletion = re.search(r'<mark class="cloze">(.*?)</mark>', card["back"])
            front = plain(card["front"]).replace("[…]", plain(deletion.group(1)) if deletion else "")
            return found(front)
        return found(card["back"])

    # A two-way card's back is its reverse card's front, which is searched
    # by design: only one-way backs are answers.
    fronts = {plain(c["front"]) for c in body_cards}
    one_way = [c for c in body_cards if plain(c["back"]) not in fronts]
    backs = [c["id"] for c in one_way if back_leaks(c)]
    chrome = {s: index.count(s) for s in ["Answer:", "min read", "Show answer", "Key facts", "Test yourself"]}
    print(f"pages indexed: {len(contents)}")
    print(f"questions: {len(revise['questions'])}; explanations in the index: {len(leaked)} of {len(explanations)}")
    for i in leaked:
        print(f"  explanation found: {i}")
    print(f"body flashcards: {len(body_cards)}, {len(one_way)} one-way; their backs in the index: {len(backs)}")
    for i in backs:
        print(f"  back found: {i}")
    fields = len(revise["cards"]) - len(body_cards)
    print(f"declared-field cards (backs are facts-box values, searchable as page content): {fields}")
    for label, n in chrome.items():
        print(f"  {label!r}: {n}")
    spoilers = len(leaked) + len(backs) + chrome["Answer:"]
    print(f"answers in the index: {spoilers}")
    sys.exit(1 if spoilers else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""What a built site gives a student to revise.

Usage: python3 benches/revision_coverage.py OUTPUT

Reads OUTPUT/_lode/revise.json (written by `lode build`, see src/render/revise.rs)
and prints counts: questions (and how many keep their written order with
`shuffle = false`), flashcards by source kind, and the notes that carry
questions or cards. Card kinds come from the card id's fragment:

- `field-<key>`: a declared [extra] field of the note's collection;
- `card-<hash>-cN`: a cloze deletion (`==text==`);
- `card-<hash>-r`: the reverse of a two-way card (`:::` or `??`);
- `card-<hash>`: an authored one-way card (`::` or `?`).

A `-2`, `-3`... suffix (a duplicate front on one page) keeps the kind.
Exits with status 1 if the file is missing or not the expected shape.
"""
import collections
import json
import re
import sys

CARD_ID = re.compile(r"^card-[0-9a-f]{8}(?P<r>-r)?(?P<c>-c\d+)?(-\d+)?$")


def card_kind(card_id):
    fragment = card_id.rsplit("#", 1)[-1]
    if fragment.startswith("field-"):
        return "declared [extra] field"
    m = CARD_ID.match(fragment)
    if not m:
        return "unrecognised id"
    if m.group("c"):
        return "cloze"
    if m.group("r"):
        return "authored, reverse side"
    return "authored"


def note_of(item_id):
    return item_id.rsplit("#", 1)[0]


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 1
    path = f"{argv[1].rstrip('/')}/_lode/revise.json"
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        questions, cards = data["questions"], data.get("cards", [])
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 1

    fixed = sum(1 for q in questions if q.get("shuffle") is False)
    linked = sum(1 for q in questions if "<a " in (q.get("explanation") or ""))
    print(f"questions: {len(questions)}")
    print(f"  written order kept (shuffle = false): {fixed}")
    print(f"  explanation links a note: {linked}")
    kinds = collections.Counter(card_kind(c["id"]) for c in cards)
    print(f"cards: {len(cards)}")
    for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {kind}: {n}")
    with_q = {note_of(q["id"]) for q in questions}
    with_c = {note_of(c["id"]) for c in cards}
    print(f"notes with questions: {len(with_q)}")
    print(f"notes with cards: {len(with_c)}")
    print(f"notes with either: {len(with_q | with_c)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

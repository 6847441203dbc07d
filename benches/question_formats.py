#!/usr/bin/env python3
"""How a built site's self-test questions are written, by format.

Usage: python3 benches/question_formats.py OUTPUT   (e.g. public/)

Reads OUTPUT/_lode/revise.json and sorts every question into one of the
formats the UPSC prelims has used since 2023, detected by its phrasing, or
"other":

- "how many statements": "How many of the above statements are correct?"
  and item counts ("How many of the above are ...?");
- "match the pairs": "How many of the above pairs are correctly matched?";
- "Statement-I / Statement-II": the question holds both labels and the four
  standard options.

Prints the count and share of each, the share of the three current formats
together (issue 15 asks for at least a third), and those of them without
`shuffle = false` (their options carry meaning, so they must keep their
order). Exits 1 if the file is missing or not the expected shape.
"""
import collections
import json
import pathlib
import sys

SI_OPTIONS = [
    "Both Statement-I and Statement-II are correct and Statement-II explains Statement-I",
    "Both Statement-I and Statement-II are correct, but Statement-II does not explain Statement-I",
    "Statement-I is correct, but Statement-II is incorrect",
    "Statement-I is incorrect, but Statement-II is correct",
]


def kind(q):
    text = q["question"].lower()
    if "statement-i:" in text and "statement-ii:" in text and q["options"] == SI_OPTIONS:
        return "Statement-I / Statement-II"
    if "how many of the above pairs" in text:
        return "match the pairs"
    if "how many of the above" in text:
        return "how many statements"
    return "other"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    try:
        data = json.loads((pathlib.Path(sys.argv[1]) / "_lode" / "revise.json").read_text())
        questions = data["questions"]
    except (OSError, ValueError, KeyError) as e:
        print(f"cannot read revise.json: {e}", file=sys.stderr)
        sys.exit(1)
    kinds = collections.Counter(kind(q) for q in questions)
    total = len(questions)
    print(f"questions: {total}")
    for k in ["how many statements", "match the pairs", "Statement-I / Statement-II", "other"]:
        print(f"  {k:28} {kinds[k]:3}  {100 * kinds[k] / max(total, 1):5.1f}%")
    current = total - kinds["other"]
    print(f"current formats together: {current} ({100 * current / max(total, 1):.1f}%)")
    loose = [q["id"] for q in questions if kind(q) != "other" and q.get("shuffle", True)]
    print(f"current-format questions shuffled: {len(loose)}", *loose)


if __name__ == "__main__":
    main()

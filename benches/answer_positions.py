#!/usr/bin/env python3
"""Where the right answer sits among a built site's self-test options.

Usage: benches/answer_positions.py OUTPUT_FOLDER   (e.g. public/)

Reads every note page's questions as a reader without JavaScript sees them
(`li.question`: the options of `ol.options` in page order, the answer in
`details.answer` after "Answer:"), and prints how many answers are at each
position (a), (b), ... and their share. Issue 14 asks that no position hold
more than 40% on the flagship. Exits 1 when a question's answer is not among
its options (the page and the data disagree). Python's standard library only.
"""

import collections
import html.parser
import pathlib
import sys


class Questions(html.parser.HTMLParser):
    """Collects (options, answer) for each `li.question` of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []  # [(options, answer)]
        self.stack = []  # open elements: (tag, role)
        self.options = None
        self.answer = None
        self.text = None  # text being collected: an option, or the answer paragraph

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        role = None
        if tag == "li" and "question" in classes:
            role = "question"
            self.options, self.answer = [], None
        elif tag == "ol" and "options" in classes and self.options is not None:
            role = "options"
        elif tag == "li" and self.stack and self.stack[-1][1] == "options":
            role = "option"
            self.text = []
        elif tag == "details" and "answer" in classes and self.options is not None:
            role = "answer"
        elif tag == "p" and self.stack and self.stack[-1][1] == "answer":
            role = "answer-text"
            self.text = []
        if tag not in ("br", "img", "hr", "input", "meta", "link", "wbr", "source"):
            self.stack.append((tag, role))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, role = self.stack.pop()
            if role == "option":
                self.options.append(" ".join("".join(self.text).split()))
                self.text = None
            elif role == "answer-text" and self.answer is None:
                text = " ".join("".join(self.text).split())
                if text.startswith("Answer:"):
                    self.answer = text[len("Answer:"):].strip()
                self.text = None
            elif role == "question":
                self.found.append((self.options, self.answer))
                self.options = None
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = pathlib.Path(sys.argv[1])
    if not out.is_dir():
        sys.exit(f"{out}: not a folder (build the site first: lode build --output {out})")
    counts = collections.Counter()
    options_count = collections.Counter()
    bad = []
    for page in sorted(out.rglob("index.html")):
        parser = Questions()
        parser.feed(page.read_text(encoding="utf-8"))
        for n, (options, answer) in enumerate(parser.found, 1):
            if answer not in options:
                bad.append(f"{page.relative_to(out)} question {n}: answer {answer!r} not in {options}")
                continue
            counts[options.index(answer)] += 1
            options_count[len(options)] += 1
    total = sum(counts.values())
    print(f"{total} questions in {out}")
    if total:
        for position in range(max(counts) + 1):
            share = counts[position] / total
            print(f"  ({chr(ord('a') + position)}) {counts[position]:4d}  {share:6.1%}")
        worst = max(counts.values()) / total
        print(f"largest share at one position: {worst:.1%}")
        print("options per question: " + ", ".join(f"{k}: {v}" for k, v in sorted(options_count.items())))
    for line in bad:
        print("error: " + line, file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

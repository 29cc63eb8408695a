#!/usr/bin/env python3
"""No survey form code written into Swift: what differs by form comes from the catalog.

Reads the form ids of every catalog edition (catalog/*/forms/*.json, the `id` of each) and fails
(exit 1, listing file:line) when one appears as a Swift string literal in production code
(Sources/**/*.swift): the whole literal (`"P2"`), or its start followed by anything but a letter or a
digit (`"P2-2025.csv"`, `"E2:01"`; not `"P25"`). Comments are ignored; so are tests, which may name the
forms they exercise. Each line of a multi-line literal counts as a start; so does the text after an
interpolation's closing parenthesis only when it begins the literal (`"\\(x)P2"` is not flagged).
Usage: tools/check/form_code_literals.py [--root DIR] [paths…]   (default: Sources)
"""
import argparse
import json
import re
import sys
from pathlib import Path


def form_ids(root):
    """The form ids of every catalog edition under root/catalog."""
    ids = set()
    for path in sorted((root / "catalog").glob("*/forms/*.json")):
        form_id = json.loads(path.read_text(encoding="utf-8")).get("id")
        if isinstance(form_id, str) and form_id:
            ids.add(form_id)
    return ids


class Scanner:
    """Walks Swift source and collects string literals as (line, text before any interpolation),
    skipping comments. Interpolations are scanned as code, so literals nested in them are found too."""

    def __init__(self, text):
        self.text, self.i, self.line = text, 0, 1
        self.literals = []

    def peek(self, s):
        return self.text.startswith(s, self.i)

    def advance(self, n=1):
        for _ in range(n):
            if self.i < len(self.text):
                if self.text[self.i] == "\n":
                    self.line += 1
                self.i += 1

    def code(self, until_paren=False):
        """Scans code; with until_paren, stops after the `)` that closes an interpolation."""
        depth = 0
        while self.i < len(self.text):
            if self.peek("//"):
                while self.i < len(self.text) and self.text[self.i] != "\n":
                    self.advance()
            elif self.peek("/*"):
                self.block_comment()
            elif self.peek('"') or re.match(r'#+"', self.text[self.i:]):
                self.string()
            elif until_paren and self.text[self.i] == "(":
                depth += 1
                self.advance()
            elif until_paren and self.text[self.i] == ")":
                self.advance()
                if depth == 0:
                    return
                depth -= 1
            else:
                self.advance()

    def block_comment(self):
        nesting = 0
        while self.i < len(self.text):
            if self.peek("/*"):
                nesting += 1
                self.advance(2)
            elif self.peek("*/"):
                nesting -= 1
                self.advance(2)
                if nesting == 0:
                    return
            else:
                self.advance()

    def string(self):
        hashes = len(re.match(r"#*", self.text[self.i:]).group(0))
        self.advance(hashes)
        multiline = self.peek('"""')
        self.advance(3 if multiline else 1)
        close = ('"""' if multiline else '"') + "#" * hashes
        escape = "\\" + "#" * hashes
        start_line, current, first_segment = self.line, [], True

        def flush_line():
            if first_segment:
                self.literals.append((start_line, "".join(current)))

        while self.i < len(self.text):
            if self.peek(close):
                self.advance(len(close))
                flush_line()
                return
            if self.peek(escape):
                self.advance(len(escape))
                if self.peek("("):
                    self.advance()
                    flush_line()
                    first_segment = False
                    self.code(until_paren=True)
                else:
                    current.append(self.text[self.i] if self.i < len(self.text) else "")
                    self.advance()
            elif self.text[self.i] == "\n":
                if not multiline:
                    flush_line()   # an unterminated literal: stop at the line's end
                    return
                flush_line()
                self.advance()
                start_line, current, first_segment = self.line, [], True
            else:
                current.append(self.text[self.i])
                self.advance()
        flush_line()


def offending(literal, ids):
    """The form id a literal starts with, if any (whole literal, or followed by a non-alphanumeric)."""
    text = literal.strip()
    for form_id in ids:
        if text == form_id or (text.startswith(form_id) and not re.match(r"[A-Za-z0-9]", text[len(form_id)])):
            return form_id
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[2]))
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    root = Path(args.root)
    ids = form_ids(root)
    if not ids:
        print(f"no form ids found under {root / 'catalog'}", file=sys.stderr)
        return 2
    paths = [Path(p) for p in args.paths] or [root / "Sources"]
    # Generated code (Sources/DRSAPI/Generated, from openapi.json) repeats the document's enums of form ids: data, not code.
    files = sorted(f for p in paths for f in ([p] if p.is_file() else p.rglob("*.swift")) if "Generated" not in f.parts)
    found = []
    for path in files:
        scanner = Scanner(path.read_text(encoding="utf-8"))
        scanner.code()
        for line, literal in scanner.literals:
            form_id = offending(literal, ids)
            if form_id:
                shown = path.relative_to(root) if path.is_relative_to(root) else path
                found.append(f"{shown}:{line}: form code {form_id} in the literal \"{literal.strip()}\"")
    for item in found:
        print(item)
    if found:
        print(f"{len(found)} form code literal(s) in Swift: take the form from the catalog instead", file=sys.stderr)
        return 1
    print(f"no form code literals ({len(ids)} form ids, {len(files)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

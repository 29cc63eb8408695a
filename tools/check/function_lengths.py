#!/usr/bin/env python3
"""Lists Swift functions (func, init, closures-as-computed-properties excluded) longer than a limit.

Usage: function_lengths.py [--limit 60] [--allow FILE] [paths…]
A body's length is counted from the line of its `func`/`init` keyword to its closing brace. Strings,
comments and character literals are skipped when matching braces. Declarative tables (a function
whose body is one array or dictionary literal) may be listed in the allow file as `path:name`.
Exit status 1 when any function not allowed is longer than the limit.
"""
import argparse
import re
import sys
from pathlib import Path

DECL = re.compile(r"^\s*(?:@[\w()\"., :]+\s+)*(?:(?:public|private|fileprivate|internal|package|static|class|final|override|mutating|nonmutating|nonisolated|convenience|required|@MainActor|@Sendable|@inlinable|@discardableResult)\s+)*(func\s+([^\s(<]+)|init[?!]?\s*[(<])")


def strip_code(text):
    """The text with string literals, comments and characters replaced by spaces (newlines kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i)); i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:j])); i = j
        elif text.startswith('"""', i) or (c == "#" and text.startswith('#"""', i)):
            start = i
            hashes = 1 if c == "#" else 0
            close = '"""' + "#" * hashes
            j = text.find(close, i + 3 + hashes)
            j = n if j < 0 else j + len(close)
            out.append("".join(ch if ch == "\n" else " " for ch in text[start:j])); i = j
        elif c == '"' or (c == "#" and text.startswith('#"', i)):
            hashes = 0
            while text.startswith("#", i + hashes):
                hashes += 1
            j = i + hashes + 1
            depth = 0
            while j < n:
                if hashes == 0 and text[j] == "\\" and j + 1 < n:
                    if text[j + 1] == "(":
                        # interpolation: skip to the matching paren
                        k, d = j + 2, 1
                        while k < n and d:
                            d += {"(": 1, ")": -1}.get(text[k], 0); k += 1
                        j = k; continue
                    j += 2; continue
                if text[j] == '"' and text.startswith("#" * hashes, j + 1):
                    j += 1 + hashes; break
                if text[j] == "\n":
                    break
                j += 1
            out.append(" " * (j - i)); i = j
        else:
            out.append(c); i += 1
    return "".join(out)


def functions(path):
    text = strip_code(path.read_text(encoding="utf-8"))
    lines = text.split("\n")
    offsets, total = [], 0
    for line in lines:
        offsets.append(total); total += len(line) + 1
    for number, line in enumerate(lines):
        match = DECL.match(line)
        if not match:
            continue
        name = match.group(2) or "init"
        start = offsets[number]
        brace = text.find("{", start)
        # a protocol requirement has no body: stop at the next declaration line
        if brace < 0:
            continue
        between = text[start:brace]
        if between.count("\n") > 12 or re.search(r"\n\s*(func|init|var|let|case)\b", between):
            continue
        depth, i = 0, brace
        while i < len(text):
            if text[i] == "{": depth += 1
            elif text[i] == "}":
                depth -= 1
                if depth == 0: break
            i += 1
        end_line = text.count("\n", 0, i)
        yield name, number + 1, end_line - number + 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--allow", type=Path)
    parser.add_argument("paths", nargs="*", default=["Sources"])
    args = parser.parse_args()
    allowed = set()
    if args.allow and args.allow.exists():
        allowed = {l.split("#")[0].strip() for l in args.allow.read_text().splitlines() if l.split("#")[0].strip()}
    long, count = [], 0
    for root in args.paths:
        # Generated code (Sources/DRSAPI/Generated, from openapi.json) is the generator's, not ours to shorten.
        for path in sorted(p for p in Path(root).rglob("*.swift") if "Generated" not in p.parts):
            for name, line, length in functions(path):
                count += 1
                if length > args.limit and f"{path}:{name}" not in allowed:
                    long.append((length, f"{path}:{line}", name))
    for length, where, name in sorted(long, reverse=True):
        print(f"{length:4d}  {where}  {name}")
    print(f"{len(long)} of {count} functions longer than {args.limit} lines", file=sys.stderr)
    return 1 if long else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The generated API types are fresh: Types.swift was generated from the openapi.json we ship.

Sources/DRSAPI/Generated/Types.swift carries, in its header, the sha256 of the openapi.json it was
generated from (tools/openapi/generate writes it). Fails (exit 1) when that line is missing or names
another digest than the current Sources/DRSServer/Resources/openapi.json's: someone edited the
document without regenerating, so the Swift types no longer say what the document says.
Usage: tools/check/openapi_types.py [--root DIR]
"""
import argparse
import hashlib
import re
import sys
from pathlib import Path

DOCUMENT = Path("Sources/DRSServer/Resources/openapi.json")
GENERATED = Path("Sources/DRSAPI/Generated/Types.swift")
HEADER = re.compile(r"^// openapi\.json sha256: ([0-9a-f]{64})$", re.M)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=Path(__file__).resolve().parents[2], type=Path)
    root = parser.parse_args().root
    try:
        document = (root / DOCUMENT).read_bytes()
        # The header is at the top; no need to read the whole (large) file.
        with open(root / GENERATED, encoding="utf-8") as f:
            head = "".join(f.readline() for _ in range(20))
    except OSError as e:
        print(f"openapi_types: {e}", file=sys.stderr)
        return 1
    actual = hashlib.sha256(document).hexdigest()
    match = HEADER.search(head)
    if match is None:
        print(f"{GENERATED}: no '// openapi.json sha256: …' line in its header; run tools/openapi/generate")
        return 1
    if match.group(1) != actual:
        print(f"{GENERATED} was generated from openapi.json {match.group(1)[:12]}…, but the document is now "
              f"{actual[:12]}…: run tools/openapi/generate and commit the result")
        return 1
    print(f"openapi_types: Types.swift matches openapi.json ({actual[:12]}…)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

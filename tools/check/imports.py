#!/usr/bin/env python3
"""Every import declared, and the layers kept: the module-level checks of docs/architecture.md.

Reads the package's targets from `swift package describe --type json` and each target's Swift
sources, then fails (exit 1) when
  - a source imports a module its target does not declare (a target dependency, or a product
    dependency: our products are named as the module they export), apart from the toolchain's own
    modules and the documented exceptions below;
  - a pure module imports anything but the modules its layer allows: DRSCore nothing at all,
    DRSWorkflow only DRSCore, the other pure modules no Foundation and no framework (Vapor, Fluent,
    FluentKit, NIO, SQLKit, Leaf);
  - the application layer (DRSApplication) imports Vapor, Fluent, FluentKit, SQLKit or NIO;
  - the storage layer imports Vapor or Leaf (it is FluentKit and SQL, usable without a web server);
  - a module below the web server (the office jobs, the commands, storage, the application layer)
    links the web server or the web framework: its dependency closure, through our targets, holds
    DRSServer or the Vapor, Fluent or Leaf products. Only the `drs` executable links the server,
    for `drs serve` and `drs bench http`.
Usage: tools/check/imports.py [describe.json]   (runs `swift package describe` when not given)
"""
import json
import re
import subprocess
import sys
from pathlib import Path

TOOLCHAIN = {"Foundation", "FoundationEssentials", "Glibc", "Darwin", "Musl", "Dispatch", "Synchronization",
             "Testing", "XCTest", "_Concurrency", "os", "FoundationXML", "FoundationNetworking"}
# Imports a target may make without declaring them, each with its reason.
EXCEPTIONS = {
    # SQLite's C API for the serialised writer, through sqlite-nio's own C module (not a product of
    # that package): the same SQLite library the driver links, so one copy of SQLite in the process.
    ("DRSStorage", "VaporCSQLite"),
}
FRAMEWORKS = {"Vapor", "Fluent", "FluentKit", "FluentSQL", "SQLKit", "Leaf", "LeafKit", "NIO", "NIOCore", "NIOPosix",
              "NIOConcurrencyHelpers", "AsyncHTTPClient", "MultipartKit", "FluentSQLiteDriver", "FluentPostgresDriver"}
PURE = {"DRSCore", "DRSWorkflow", "DRSDisclosure", "DRSCharts", "DRSNation", "DRSReport", "DRSExchange", "XLSXReader", "XLSXWriter"}
LAYER_ONLY = {"DRSCore": set(), "DRSWorkflow": {"DRSCore"}}
STORAGE = {"DRSStorage", "DRSDemo", "DRSOffice", "DRSCommands"}
# Modules that must build and run without the web server (their whole dependency closure).
WITHOUT_WEB = {"DRSApplication", "DRSStorage", "DRSOffice", "DRSCommands"}
WEB = {"DRSServer", "DRSBench", "Vapor", "Fluent", "Leaf", "VaporTesting", "XCTVapor"}
# The application layer: use cases over ports; Foundation, but no web framework, no Fluent, no NIO.
APPLICATION = {"DRSApplication"}
IMPORT = re.compile(r"^\s*(?:@[\w()]+\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][\w]*)", re.M)


def describe(argv):
    if len(argv) > 1:
        return json.loads(Path(argv[1]).read_text())
    out = subprocess.run(["swift", "package", "describe", "--type", "json"], check=True, capture_output=True, text=True).stdout
    return json.loads(out[out.index("{"):])


def imports(target):
    found = {}
    for source in target.get("sources", []):
        path = Path(target["path"]) / source
        if path.suffix != ".swift":
            continue
        for match in IMPORT.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match.group(1), str(path))
    return found


def problems(target):
    name = target["name"]
    declared = set(target.get("target_dependencies", [])) | set(target.get("product_dependencies", []))
    for module, path in sorted(imports(target).items()):
        if module in TOOLCHAIN and not (name in LAYER_ONLY or name in PURE) or module in {"Testing", "XCTest"}:
            continue
        if name in LAYER_ONLY and module not in LAYER_ONLY[name]:
            yield f"{path}: {name} may import only {sorted(LAYER_ONLY[name]) or 'the standard library'}, not {module}"
            continue
        if name in PURE and (module in FRAMEWORKS or module in {"Foundation", "FoundationEssentials"}):
            yield f"{path}: {name} is pure (no I/O, no framework): it may not import {module}"
            continue
        if name in APPLICATION and module in FRAMEWORKS:
            yield f"{path}: {name} is the application layer (use cases over ports): it may not import {module}"
            continue
        if name in STORAGE and module in {"Vapor", "Leaf", "LeafKit", "Fluent"}:
            yield f"{path}: {name} is storage without the web framework: it may not import {module}"
            continue
        if module in TOOLCHAIN or module in declared or (name, module) in EXCEPTIONS:
            continue
        yield f"{path}: imports {module}, which target {name} does not declare in Package.swift"


def closure(name, targets):
    """The targets and products `name` links, through our own targets."""
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        target = targets.get(current)
        if target:
            todo += target.get("target_dependencies", []) + target.get("product_dependencies", [])
    return seen - {name}


def web_links(package):
    targets = {t["name"]: t for t in package["targets"]}
    for name in sorted(WITHOUT_WEB):
        if name not in targets:
            yield f"Package.swift: target {name} is missing (it is checked to build without the web server)"
            continue
        for linked in sorted(closure(name, targets) & WEB):
            yield f"Package.swift: {name} must not link the web server, but it links {linked}"


def main(argv):
    package = describe(argv)
    found = [p for t in package["targets"] if t.get("module_type") == "SwiftTarget" for p in problems(t)]
    found += list(web_links(package))
    for line in found:
        print(line)
    print(f"imports: {len(found)} problem(s) in {len(package['targets'])} targets", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

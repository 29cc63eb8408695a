// swift-tools-version:6.0
// drs — 数据资源调查平台. The pure survey core (DRSCore) has no dependencies at all; the catalog
// loader (DRSCatalog) adds file access; storage (DRSStorage) adds Fluent on SQLite and PostgreSQL; the
// web server (DRSServer) adds Vapor and Leaf; the `drs` command adds argument parsing.
import PackageDescription

let package = Package(
    name: "drs",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "drs", targets: ["drs"]),
        .library(name: "DRSCore", targets: ["DRSCore"]),
        // For the fuzz package (Fuzz/), which must not build Vapor.
        .library(name: "DRSCatalog", targets: ["DRSCatalog"]),
        .library(name: "XLSXReader", targets: ["XLSXReader"]),
        .library(name: "DRSExchange", targets: ["DRSExchange"]),
        .library(name: "DRSDisclosure", targets: ["DRSDisclosure"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.4.0"),
        // Already in the graph through Vapor and Fluent; named because our modules import them directly
        // (every import declared: tools/check/imports.py). Storage uses FluentKit and SQLKit, not Vapor.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.52.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.32.0"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.13.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.25.0"),
        // Runtime of the types generated from openapi.json (DRSAPI; tools/openapi/generate).
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        // /metrics: the server's counters, gauges and request timings in Prometheus's text format.
        // swift-metrics is already in the graph through Vapor, which reports every request through it.
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
    ],
    targets: [
        // Domain logic: catalog model, exact decimals, rule language, engine, batch checks. No I/O.
        .target(name: "DRSCore"),
        // zlib (raw DEFLATE, CRC-32) for the XLSX modules: the system library (Linux: zlib1g-dev; macOS: the SDK).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // Writes XLSX workbooks (OOXML in a ZIP, streamed, exact decimal text, DEFLATE by zlib): no I/O.
        .target(name: "XLSXWriter", dependencies: ["CZlib"]),
        // Reads XLSX workbooks (ZIP, inflate by zlib, limits against hostile files): no I/O.
        .target(name: "XLSXReader", dependencies: ["CZlib"]),
        // Measures the XLSX export alone: `swift build -c release --product xlsx-bench` (docs/benchmarks.md).
        .executableTarget(name: "xlsx-bench", dependencies: ["XLSXWriter"]),
        // Data exchange in the survey's terms: Excel templates and uploads, SDMX structure and data.
        .target(name: "DRSExchange", dependencies: ["DRSCore", "DRSDisclosure", "XLSXWriter", "XLSXReader"]),
        // Who may do what to which unit and form: one pure access table (no I/O).
        .target(name: "DRSWorkflow", dependencies: ["DRSCore"]),
        // Disclosure control (统计法第二十八条): safety rules, secondary suppression, the attacker's audit.
        // Pure: the linear programmes go to a solver through a protocol.
        .target(name: "DRSDisclosure", dependencies: ["DRSCore"]),
        // COIN-OR CLP, the linear-programming library behind disclosure control (Debian: coinor-libclp-dev).
        .systemLibrary(name: "CClp", pkgConfig: "clp", providers: [.apt(["coinor-libclp-dev"]), .brew(["clp"])]),
        // DRSDisclosure's solver protocol answered by CLP.
        .target(name: "DRSSolverCLP", dependencies: ["DRSDisclosure", "CClp"]),
        // Measures disclosure control alone: `swift build -c release --product sdc-bench` (docs/benchmarks.md).
        .executableTarget(name: "sdc-bench", dependencies: ["DRSDisclosure", "DRSSolverCLP", "DRSExchange"]),
        // Charts drawn as SVG text (bar, line, stacked shares, a tile-grid map of the provinces): no I/O.
        .target(name: "DRSCharts"),
        // A synthetic nation for the demo, the tests and the scale work: a registry and two years of
        // figures that pass every rule, deterministic for a seed. Pure: the loader lives in DRSStorage.
        .target(name: "DRSNation", dependencies: ["DRSCore"]),
        // 《全国数据资源调查报告》: the report template (data), its figures from aggregates, protected,
        // and its renderings (HTML with SVG charts, cells.csv, provenance). Pure.
        .target(name: "DRSReport", dependencies: ["DRSCore", "DRSDisclosure", "DRSCharts"]),
        // Finds and reads a catalog edition from disk (catalog/<edition>/…).
        .target(name: "DRSCatalog", dependencies: ["DRSCore"]),
        // The application layer: use cases as functions over ports (protocols) the storage layer
        // implements. No Vapor, no Fluent, no NIO (tools/check/imports.py holds it to that).
        .target(name: "DRSApplication", dependencies: ["DRSCore", "DRSWorkflow"]),
        // Units, accounts, submissions and the audit trail: one FluentKit model layer and one set of
        // migrations for SQLite (default) and PostgreSQL; SQL on the hot save path. No Vapor.
        // The SQLite writer calls SQLite's C API through sqlite-nio's own C module (VaporCSQLite, not
        // a product of that package): the same SQLite the driver uses, so one copy in the process.
        .target(
            name: "DRSStorage",
            dependencies: [
                "DRSCore", "DRSWorkflow", "DRSNation", "DRSApplication",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                // StorageSession: the database opened for a command, on NIO's process-wide loops.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The national office's jobs over storage — aggregate, unit-level export, the sharing package,
        // releases, bulk import, the registry, the report, accounts — without a web server: the `drs`
        // commands and the server's pages call the same functions. No Vapor (tools/check/imports.py).
        .target(
            name: "DRSOffice",
            dependencies: [
                "DRSCore", "DRSCatalog", "DRSWorkflow", "DRSApplication", "DRSStorage", "DRSExchange", "DRSDisclosure", "DRSSolverCLP",
                "DRSReport", "XLSXWriter", "XLSXReader",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                // SHA-256 of the sharing package's files and of the safety rules' fingerprint.
                .product(name: "Crypto", package: "swift-crypto"),
                // Long computations on NIO's blocking pool (`Offload`).
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Resources")]
        ),
        // `drs serve --demo`: demo units of every respondent type, accounts for every role, last year's
        // verified figures. Its own target, not part of the production server's code.
        .target(name: "DRSDemo", dependencies: ["DRSCore", "DRSStorage", .product(name: "FluentKit", package: "fluent-kit")]),
        // The API contract: Swift types generated from openapi.json by swift-openapi-generator (types mode),
        // committed as Generated/Types.swift; regenerate with tools/openapi/generate.
        .target(
            name: "DRSAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            exclude: ["openapi-generator-config.yaml"]
        ),
        // The web platform: JSON API under /api/v1 and the Chinese pages (Leaf), over DRSStorage.
        .target(
            name: "DRSServer",
            dependencies: [
                "DRSCore", "DRSCatalog", "DRSStorage", "XLSXWriter", "XLSXReader", "DRSExchange", "DRSWorkflow", "DRSApplication", "DRSOffice",
                // Disclosure control of what leaves the office (`protect=1`, releases); CLP solves its programmes.
                "DRSDisclosure", "DRSSolverCLP", "DRSReport", "DRSNation", "DRSDemo",
                // The response bodies, generated from openapi.json.
                "DRSAPI",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                // `drs serve --log-format json` (JSONLogHandler).
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")]
        ),
        // `drs bench http`: the platform under load on loopback, driven by an HTTP client in-process.
        .target(
            name: "DRSBench",
            dependencies: [
                "DRSCore", "DRSCatalog", "DRSStorage", "DRSServer", "DRSDemo", "DRSWorkflow",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // Every `drs` command but the two that run the web server: catalog, template, validate, users,
        // units, aggregate, import, export, sdmx, share, releases, sdc, report, demo, bench. It does not
        // link DRSServer or Vapor (tools/check/layers.py).
        .target(
            name: "DRSCommands",
            dependencies: [
                "DRSCore", "DRSCatalog", "DRSStorage", "DRSOffice", "DRSExchange", "DRSDisclosure", "DRSSolverCLP", "DRSNation", "DRSReport",
                "DRSWorkflow", "XLSXWriter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The `drs` executable: the commands, plus `drs serve` and `drs bench http`, which link the server.
        .executableTarget(
            name: "drs",
            dependencies: [
                "DRSCommands", "DRSServer", "DRSBench", "DRSCatalog", "DRSDisclosure", "DRSStorage", "DRSWorkflow",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "DRSCoreTests", dependencies: ["DRSCore"]),
        .testTarget(name: "DRSDisclosureTests", dependencies: ["DRSDisclosure", "DRSSolverCLP", "DRSCore"]),
        .testTarget(name: "DRSChartsTests", dependencies: ["DRSCharts"]),
        .testTarget(name: "DRSNationTests", dependencies: ["DRSNation", "DRSCore", "DRSCatalog"]),
        .testTarget(name: "DRSReportTests", dependencies: ["DRSReport", "DRSNation", "DRSCharts", "DRSDisclosure", "DRSSolverCLP", "DRSCore", "DRSCatalog"]),
        .testTarget(name: "DRSWorkflowTests", dependencies: ["DRSWorkflow", "DRSCore"]),
        .testTarget(name: "DRSApplicationTests", dependencies: ["DRSApplication", "DRSWorkflow", "DRSCore"]),
        .testTarget(name: "XLSXWriterTests", dependencies: ["XLSXWriter", "CZlib"]),
        .testTarget(name: "XLSXReaderTests", dependencies: ["XLSXReader", "XLSXWriter"], exclude: ["Fixtures"]),
        .testTarget(name: "DRSExchangeTests", dependencies: ["DRSExchange", "DRSCore", "DRSCatalog", "XLSXWriter", "XLSXReader"]),
        .testTarget(name: "DRSCatalogTests", dependencies: ["DRSCore", "DRSCatalog"], exclude: ["Fixtures"]),
        // Runs the built `drs` executable as a user would.
        .testTarget(name: "DRSCommandTests", dependencies: [
            "drs", "DRSCore",
            // `drs tallies`: a tally put wrong on purpose.
            "DRSStorage", .product(name: "SQLKit", package: "sql-kit"),
        ]),
        .testTarget(
            name: "DRSServerTests",
            dependencies: [
                "DRSServer", "DRSOffice", "DRSStorage", "DRSApplication", "DRSCore", "DRSWorkflow", "DRSCatalog", "DRSNation", "DRSExchange", "XLSXReader",
                // The generated types a body written directly is held to (`ReportJSONTests`).
                "DRSAPI",
                // The deadline bench's client against a server that is busy at first.
                "DRSBench",
                .product(name: "VaporTesting", package: "vapor"), .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                // Backup round trip: wiping a PostgreSQL schema, altering a copied backup.
                .product(name: "SQLKit", package: "sql-kit"),
                // The form page's markup compared with what Leaf made of the template it replaced.
                .product(name: "Leaf", package: "leaf"), .product(name: "LeafKit", package: "leaf-kit"),
            ]
        ),
    ]
)

// swift-tools-version:6.0
// drs — 数据资源调查平台. The pure survey core (DRSCore) has no dependencies at all; the catalog
// loader (DRSCatalog) adds file access; the `drs` command adds argument parsing.
import PackageDescription

let package = Package(
    name: "drs",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "drs", targets: ["drs"]),
        .library(name: "DRSCore", targets: ["DRSCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Domain logic: catalog model, exact decimals, rule language, engine, batch checks. No I/O.
        .target(name: "DRSCore"),
        // Finds and reads a catalog edition from disk (catalog/<edition>/…).
        .target(name: "DRSCatalog", dependencies: ["DRSCore"]),
        // The command line: catalog, template, validate, bench.
        .executableTarget(
            name: "drs",
            dependencies: [
                "DRSCore", "DRSCatalog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "DRSCoreTests", dependencies: ["DRSCore"]),
        .testTarget(name: "DRSCatalogTests", dependencies: ["DRSCore", "DRSCatalog"], exclude: ["Fixtures"]),
        // Runs the built `drs` executable as a user would.
        .testTarget(name: "DRSCommandTests", dependencies: ["drs", "DRSCore"]),
    ]
)

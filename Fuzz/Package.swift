// swift-tools-version:6.0
// Fuzz targets for drs's untrusted-input parsers (libFuzzer, Linux), and the replay test that runs
// every seed and regression input under AddressSanitizer. A separate package so that the fuzz build
// never compiles Vapor: it depends only on the pure modules of the root package. Run by `Fuzz/run.sh`.
import PackageDescription

let targets = ["rule-parser", "number-input", "submission-json", "xlsx-upload", "csv-upload", "login-body", "catalog-loader", "sdc-microdata"]

let package = Package(
    name: "drs-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "drs", path: "..")],
    targets: [
        // Hands each target's callback to libFuzzer (or replays files when built without it).
        .target(name: "FuzzDriver"),
        // What each target does with one input; shared by the fuzzers and the replay test.
        .target(
            name: "FuzzBodies",
            dependencies: [
                .product(name: "DRSCore", package: "drs"),
                .product(name: "DRSCatalog", package: "drs"),
                .product(name: "XLSXReader", package: "drs"),
                .product(name: "DRSExchange", package: "drs"),
                .product(name: "DRSDisclosure", package: "drs"),
            ]
        ),
        .testTarget(name: "HostileInputReplayTests", dependencies: ["FuzzBodies"]),
    ] + targets.map { 
        .executableTarget(name: "fuzz-\($0)", dependencies: ["FuzzBodies", "FuzzDriver"],
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    }
)

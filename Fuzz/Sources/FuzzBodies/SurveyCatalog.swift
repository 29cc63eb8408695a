import DRSCatalog
import DRSCore
import Foundation

/// The real catalog (catalog/<edition> of this repository), loaded and compiled once per process:
/// uploads and submissions are read against it as the server reads them. `DRS_FUZZ_CATALOG` names
/// another catalog root.
enum SurveyCatalog {
    static let root: URL = {
        if let explicit = ProcessInfo.processInfo.environment["DRS_FUZZ_CATALOG"] { return URL(fileURLWithPath: explicit) }
        // Fuzz/Sources/FuzzBodies/SurveyCatalog.swift → the repository root.
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("catalog")
    }()

    static let source: Catalog = {
        do {
            return try CatalogLoader.load(root: root)
        } catch {
            FuzzInvariant.report("fuzz harness: cannot load the catalog at \(root.path): \(error)")
            exit(2)
        }
    }()

    static let compiled: CompiledCatalog = {
        do {
            return try CompiledCatalog(source)
        } catch {
            FuzzInvariant.report("fuzz harness: the catalog at \(root.path) does not compile: \(error)")
            exit(2)
        }
    }()
}

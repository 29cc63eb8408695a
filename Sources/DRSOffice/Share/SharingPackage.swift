import DRSCore
import DRSExchange
import DRSStorage
import FluentKit
import Foundation

/// 统计信息共享 (附录七、八): the annual package for the statistics bureau and the shared statistical
/// database — national and by-province figures of every numeric form, grouped by the catalog's themes
/// (数据供给, 数据流通, 数据应用, 数据安全), as one workbook, a thematic CSV, SDMX messages, and a manifest
/// listing every file with its SHA-256. Aggregates only: no single respondent's figures.
public enum SharingPackage {
    public struct Result: Sendable {
        public var directory: URL
        public var files: [String]
        public var observations: Int
        public var destination: ReleaseDestination
        /// Cells withheld in the package (every grouping, national included); 0 for `nbs`.
        public var suppressedCells: Int
    }

    /// One form's aggregate, and its protection when the package is public.
    struct FormAggregate {
        var form: CompiledForm
        var table: AggregateTable
        var release: ProtectedRelease?
    }

    /// Writes the package and records it (one release per form, one audit line).
    public static func release(_ db: any Database, catalog: CompiledCatalog, year: Int, statuses: Set<SubmissionStatus>, to directory: URL,
                               destination: ReleaseDestination, protection: ReleaseProtection = .init(),
                               maker: ReleaseRecords.Maker) async throws -> Result {
        let (result, aggregates) = try await write(db, catalog: catalog, year: year, statuses: statuses, to: directory,
                                                   destination: destination, protection: protection)
        let by = breakdown(catalog)
        let rows = aggregates.map {
            ReleaseRecords.row(year: year, form: $0.form.form.id, by: by, destination: destination, fingerprint: protection.fingerprint,
                               release: $0.release, maker: maker)
        }
        try await ReleaseRecords.store(rows, destination: destination, fingerprint: protection.fingerprint,
                                       what: "\(year)年统计资料包（\(directory.lastPathComponent)）", maker: maker, on: db)
        return result
    }

    /// The breakdown protected: every dimension of the package's groupings, so one pattern covers
    /// the national total and each grouping (their cells are all marginals of it).
    static func breakdown(_ catalog: CompiledCatalog) -> [String] {
        var dimensions: [String] = []
        for grouping in catalog.catalog.survey.sharing?.groupings ?? [] {
            for dimension in grouping where !dimensions.contains(dimension) { dimensions.append(dimension) }
        }
        return dimensions
    }

    /// Writes the package. For `public` every form is protected and audited before a single file is
    /// written: a refused form leaves the folder untouched.
    static func write(_ db: any Database, catalog: CompiledCatalog, year: Int, statuses: Set<SubmissionStatus>, to directory: URL,
                      destination: ReleaseDestination, protection: ReleaseProtection) async throws -> (Result, [FormAggregate]) {
        guard let sharing = catalog.catalog.survey.sharing else { throw AggregateError(message: "目录未定义统计信息共享（survey.json 的 sharing）") }
        let aggregates = try await aggregate(db, catalog: catalog, sharing: sharing, year: year, statuses: statuses,
                                             destination: destination, protection: protection)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("sdmx"), withIntermediateDirectories: true)
        var writer = SharingPackageWriter(catalog: catalog, sharing: sharing, year: year, statuses: statuses, directory: directory,
                                          destination: destination)
        for aggregate in aggregates {
            writer.addSheets(aggregate)
            writer.addThemedTotals(aggregate)
            try writer.writeSDMX(aggregate)
        }
        try writer.writeWorkbookAndStructure()
        try writer.writeManifest()
        let result = Result(directory: directory, files: ["manifest.json"] + writer.files.map(\.path), observations: writer.observations,
                            destination: destination, suppressedCells: writer.suppressedCells)
        return (result, aggregates)
    }

    /// Every numeric form's aggregate by the package's groupings, protected when the package is public.
    private static func aggregate(_ db: any Database, catalog: CompiledCatalog, sharing: Survey.Sharing, year: Int, statuses: Set<SubmissionStatus>,
                                  destination: ReleaseDestination, protection: ReleaseProtection) async throws -> [FormAggregate] {
        let by = breakdown(catalog)
        var aggregates: [FormAggregate] = []
        for form in catalog.orderedForms where form.form.kind != .basicInfo {
            let input = try await AggregateInputs.load(db, catalog: catalog, year: year, formID: form.form.id, statuses: statuses)
            let table = try Aggregator(form: form).aggregate(input.records, groupings: [[]] + sharing.groupings)
            let release = destination.isProtected ? try protection.protect(input, table, by: by) : nil
            aggregates.append(FormAggregate(form: form, table: table, release: release))
        }
        return aggregates
    }
}

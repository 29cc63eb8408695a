import DRSCore
import DRSExchange
import DRSStorage
import Fluent
import Foundation
import Vapor

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
        let by = breakdown(catalog)
        var aggregates: [FormAggregate] = []
        for form in catalog.orderedForms where form.form.kind != .basicInfo {
            let input = try await AggregateInputs.load(db, catalog: catalog, year: year, formID: form.form.id, statuses: statuses)
            let table = try Aggregator(form: form).aggregate(input.records, groupings: [[]] + sharing.groupings)
            let release = destination.isProtected ? try protection.protect(input, table, by: by) : nil
            aggregates.append(FormAggregate(form: form, table: table, release: release))
        }
        let fm = FileManager.default
        try fm.createDirectory(at: directory.appendingPathComponent("sdmx"), withIntermediateDirectories: true)
        let structure = SDMXStructure(catalog.catalog)
        let prepared = ISO8601DateFormatter().string(from: Date())
        var tables: [TableExport.Table] = []
        var themed: [String] = ["主题,表号,指标代码,指标名称,计量单位,栏目,分组,地区,合计,单位数"]
        var themeIndicators: [String: [String]] = [:]
        var files: [(path: String, description: String)] = []
        var observations = 0
        var suppressedCells = 0
        let provinces = Dictionary((catalog.catalog.codeLists["provinces"]?.members ?? []).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        for aggregate in aggregates {
            let form = aggregate.form, table = aggregate.table
            let suppression = aggregate.release?.suppression
            var national = AggregateReport(catalog: catalog, form: form, year: year, by: [], statuses: statuses, table: table)
            national.suppression = suppression
            var n = national.exportTable
            n.sheetName = "\(form.form.tableNumber)全国"
            tables.append(n)
            for grouping in sharing.groupings {
                var report = AggregateReport(catalog: catalog, form: form, year: year, by: grouping, statuses: statuses, table: table)
                report.suppression = suppression
                var g = report.exportTable
                g.sheetName = "\(form.form.tableNumber)分" + grouping.map { AggregateInputs.dimensionNames[$0] ?? $0 }.joined(separator: "")
                tables.append(g)
            }
            // The thematic view: every total, national and by province, with its theme.
            for grouping in table.groupings {
                for group in grouping.groups {
                    let region = zip(grouping.dimensions, group.key).first { $0.0 == "province" }.map { provinces[$0.1] ?? $0.1 } ?? "全国"
                    for (slot, cell) in form.layout.cells.enumerated() {
                        guard let total = group.cell(slot).total else { continue }
                        let withheld = suppression?.mark(grouping.dimensions, group.key, slot) != nil
                        if withheld { suppressedCells += 1 }
                        let indicator = form.form.indicator(cell.key.code)
                        let theme = sharing.theme(form: form.form.id, section: indicator?.section)?.name ?? "其他"
                        themed.append(SubmissionExport.csvLine([theme, form.form.tableNumber, cell.key.code, cell.name, cell.unit, form.columnName(cell.key.column),
                                                                cell.memberName ?? "", region, withheld ? AggregateSuppression.symbol : total.normalized.description,
                                                                String(group.cell(slot).units)])
                            .trimmingCharacters(in: .newlines))
                        observations += 1
                    }
                }
            }
            for indicator in form.form.allIndicators {
                let theme = sharing.theme(form: form.form.id, section: indicator.section)?.id ?? "other"
                themeIndicators[theme, default: []].append(SDMXStructure.indicatorID(form: form.form.id, code: indicator.code))
            }
            // SDMX hands over a group without its grouping: the grouping is the one holding that group.
            let data = SDMXData(structure: structure, form: form, table: table, year: year) { group, slot in
                guard let suppression else { return "F" }
                let grouping = table.groupings.first { $0.dimensions.count == group.key.count && $0.group(group.key) == group }
                return suppression.confidentialityStatus(grouping?.dimensions ?? [], group.key, slot)
            }
            let sdmxPath = "sdmx/\(form.form.id).xml"
            try Data(data.structureSpecificXML(id: "DRS_\(form.form.id)_\(year)", prepared: prepared).utf8).write(to: directory.appendingPathComponent(sdmxPath))
            files.append((sdmxPath, "\(form.form.tableNumber) 汇总数据（SDMX-ML 2.1 StructureSpecific）"))
        }
        if destination.isProtected { themed.append(SubmissionExport.csvLine([AggregateSuppression.footnote]).trimmingCharacters(in: .newlines)) }
        let workbook = "统计资料-\(year).xlsx"
        try Data(try TableExport.xlsx(tables)).write(to: directory.appendingPathComponent(workbook))
        files.insert((workbook, "各表全国与分地区汇总表（每表两个工作表）"), at: 0)
        try Data(("\u{FEFF}" + themed.joined(separator: "\r\n") + "\r\n").utf8).write(to: directory.appendingPathComponent("分主题数据-\(year).csv"))
        files.insert(("分主题数据-\(year).csv", "数据供给、数据流通、数据应用、数据安全：全国与分地区的全部合计（长表）"), at: 1)
        try Data(structure.xml(prepared: prepared).utf8).write(to: directory.appendingPathComponent("sdmx/structure.xml"))
        files.append(("sdmx/structure.xml", "SDMX 数据结构定义（由调查目录生成）"))

        var entries: [JSONValue] = []
        for file in files {
            let bytes = try Data(contentsOf: directory.appendingPathComponent(file.path))
            let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            entries.append(.object([("path", .string(file.path)), ("bytes", .int(bytes.count)), ("sha256", .string(digest)), ("description", .string(file.description))]))
        }
        let manifest = JSONValue.object([
            ("title", .string(sharing.title)), ("recipients", .array(sharing.recipients.map { .string($0) })),
            ("survey", .string(catalog.catalog.survey.title)), ("approvalNumber", .string(catalog.catalog.survey.approvalNumber)),
            ("edition", .string(catalog.catalog.survey.edition)), ("year", .int(year)),
            ("statuses", .array(SubmissionStatus.allCases.filter { statuses.contains($0) }.map { .string($0.rawValue) })),
            ("generatedAt", .string(prepared)), ("groupings", .array(([[]] + sharing.groupings).map { .array($0.map { .string($0) }) })),
            ("themes", .array((sharing.themes.map { ($0.id, $0.name) } + [("other", "其他")]).compactMap { id, name in
                guard let list = themeIndicators[id] else { return nil }
                return .object([("id", .string(id)), ("name", .string(name)), ("indicators", .array(list.map { .string($0) }))])
            })),
            ("observations", .int(observations)),
            ("destination", .string(destination.rawValue)),
            ("confidentiality", .string("只含汇总数，不含单个调查对象的资料（统计法第二十八条）；各单元格的单位数见汇总表与 SDMX 的 UNIT_COUNT。"
                + (destination.isProtected ? "已按保密规则处理：不予公布的数值写作 x（SDMX 的 CONF_STATUS 为 C 或 D），共 \(suppressedCells) 个。"
                                           : "提供国家统计局（依法可获得）：未作保密处理，不得对外公布。"))),
            ("files", .array(entries)),
        ])
        try Data((manifest.serialized() + "\n").utf8).write(to: directory.appendingPathComponent("manifest.json"))
        let result = Result(directory: directory, files: ["manifest.json"] + files.map(\.path), observations: observations,
                            destination: destination, suppressedCells: suppressedCells)
        return (result, aggregates)
    }
}

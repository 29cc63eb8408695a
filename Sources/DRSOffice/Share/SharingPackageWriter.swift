import DRSCore
import DRSExchange
import DRSStorage
import Crypto
import Foundation

/// The files of one sharing package, written step by step from the forms' aggregates: the
/// workbook's sheets, the thematic CSV's lines and each form's SDMX message are gathered form by
/// form, then the workbook, the CSV, the SDMX structure and the manifest are written.
struct SharingPackageWriter {
    let catalog: CompiledCatalog
    let sharing: Survey.Sharing
    let year: Int
    let statuses: Set<SubmissionStatus>
    let directory: URL
    let destination: ReleaseDestination
    let structure: SDMXStructure
    /// When the package was prepared: in the SDMX messages and the manifest.
    let prepared = ISO8601DateFormatter().string(from: Date())
    private let provinces: [String: String]

    /// The files written so far, in the manifest's order, each with its description.
    private(set) var files: [(path: String, description: String)] = []
    /// Totals in the thematic CSV.
    private(set) var observations = 0
    /// Totals withheld (written `x`).
    private(set) var suppressedCells = 0
    private var tables: [TableExport.Table] = []
    private var themed: [String] = ["主题,表号,指标代码,指标名称,计量单位,栏目,分组,地区,合计,单位数"]
    private var themeIndicators: [String: [String]] = [:]

    init(catalog: CompiledCatalog, sharing: Survey.Sharing, year: Int, statuses: Set<SubmissionStatus>, directory: URL, destination: ReleaseDestination) {
        self.catalog = catalog
        self.sharing = sharing
        self.year = year
        self.statuses = statuses
        self.directory = directory
        self.destination = destination
        self.structure = SDMXStructure(catalog.catalog)
        self.provinces = Dictionary((catalog.catalog.codeLists["provinces"]?.members ?? []).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// The form's national sheet and one sheet per grouping.
    mutating func addSheets(_ aggregate: SharingPackage.FormAggregate) {
        let form = aggregate.form
        for (index, grouping) in ([[]] + sharing.groupings).enumerated() {
            var report = AggregateReport(catalog: catalog, form: form, year: year, by: grouping, statuses: statuses, table: aggregate.table)
            report.suppression = aggregate.release?.suppression
            var sheet = report.exportTable
            sheet.sheetName = index == 0 ? "\(form.form.tableNumber)全国"
                : "\(form.form.tableNumber)分" + grouping.map { AggregateInputs.dimensionNames[$0] ?? $0 }.joined(separator: "")
            tables.append(sheet)
        }
    }

    /// The thematic view: every total, national and by province, with its theme.
    mutating func addThemedTotals(_ aggregate: SharingPackage.FormAggregate) {
        let form = aggregate.form, table = aggregate.table
        let suppression = aggregate.release?.suppression
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
    }

    /// The form's SDMX data message.
    mutating func writeSDMX(_ aggregate: SharingPackage.FormAggregate) throws {
        let form = aggregate.form, table = aggregate.table
        let suppression = aggregate.release?.suppression
        // SDMX hands over a group without its grouping: the grouping is the one holding that group.
        let data = SDMXData(structure: structure, form: form, table: table, year: year) { group, slot in
            guard let suppression else { return "F" }
            let grouping = table.groupings.first { $0.dimensions.count == group.key.count && $0.group(group.key) == group }
            return suppression.confidentialityStatus(grouping?.dimensions ?? [], group.key, slot)
        }
        let path = "sdmx/\(form.form.id).xml"
        try Data(data.structureSpecificXML(id: "DRS_\(form.form.id)_\(year)", prepared: prepared).utf8).write(to: directory.appendingPathComponent(path))
        files.append((path, "\(form.form.tableNumber) 汇总数据（SDMX-ML 2.1 StructureSpecific）"))
    }

    /// The workbook and the thematic CSV (first in the manifest), and the SDMX structure (last).
    mutating func writeWorkbookAndStructure() throws {
        if destination.isProtected { themed.append(SubmissionExport.csvLine([AggregateSuppression.footnote]).trimmingCharacters(in: .newlines)) }
        let workbook = "统计资料-\(year).xlsx"
        try Data(try TableExport.xlsx(tables)).write(to: directory.appendingPathComponent(workbook))
        files.insert((workbook, "各表全国与分地区汇总表（每表两个工作表）"), at: 0)
        let csv = "分主题数据-\(year).csv"
        try Data(("\u{FEFF}" + themed.joined(separator: "\r\n") + "\r\n").utf8).write(to: directory.appendingPathComponent(csv))
        files.insert((csv, "数据供给、数据流通、数据应用、数据安全：全国与分地区的全部合计（长表）"), at: 1)
        try Data(structure.xml(prepared: prepared).utf8).write(to: directory.appendingPathComponent("sdmx/structure.xml"))
        files.append(("sdmx/structure.xml", "SDMX 数据结构定义（由调查目录生成）"))
    }

    /// `manifest.json`: what the package is, and every file with its size and SHA-256.
    func writeManifest() throws {
        var entries: [JSONValue] = []
        for file in files {
            let bytes = try Data(contentsOf: directory.appendingPathComponent(file.path))
            let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            entries.append(.object([("path", .string(file.path)), ("bytes", .int(bytes.count)), ("sha256", .string(digest)), ("description", .string(file.description))]))
        }
        let survey = catalog.catalog.survey
        let manifest = JSONValue.object([
            ("title", .string(sharing.title)), ("recipients", .array(sharing.recipients.map { .string($0) })),
            ("survey", .string(survey.title)), ("approvalNumber", .string(survey.approvalNumber)),
            ("edition", .string(survey.edition)), ("year", .int(year)),
            ("statuses", .array(SubmissionStatus.allCases.filter { statuses.contains($0) }.map { .string($0.rawValue) })),
            ("generatedAt", .string(prepared)), ("groupings", .array(([[]] + sharing.groupings).map { .array($0.map { .string($0) }) })),
            ("themes", .array((sharing.themes.map { ($0.id, $0.name) } + [("other", "其他")]).compactMap { id, name in
                guard let list = themeIndicators[id] else { return nil }
                return .object([("id", .string(id)), ("name", .string(name)), ("indicators", .array(list.map { .string($0) }))])
            })),
            ("observations", .int(observations)),
            ("destination", .string(destination.rawValue)),
            ("confidentiality", .string(confidentiality)),
            ("files", .array(entries)),
        ])
        try Data((manifest.serialized() + "\n").utf8).write(to: directory.appendingPathComponent("manifest.json"))
    }

    private var confidentiality: String {
        "只含汇总数，不含单个调查对象的资料（统计法第二十八条）；各单元格的单位数见汇总表与 SDMX 的 UNIT_COUNT。"
            + (destination.isProtected ? "已按保密规则处理：不予公布的数值写作 x（SDMX 的 CONF_STATUS 为 C 或 D），共 \(suppressedCells) 个。"
                                       : "提供国家统计局（依法可获得）：未作保密处理，不得对外公布。")
    }
}

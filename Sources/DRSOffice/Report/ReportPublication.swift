import DRSCore
import DRSDisclosure
import DRSExchange
import DRSReport
import DRSSolverCLP
import FluentKit
import Foundation

/// The files of one build of 《全国数据资源调查报告》.
public struct ReportFiles: Sendable {
    public var html: [UInt8]
    /// The published figures (`cells.csv`): public with the report.
    public var cells: [UInt8]
    /// Per figure, the form cells and filter it came from: the national office only.
    public var provenance: [UInt8]
    public var xlsx: [UInt8]
    public var audit: ReportAudit
    public var cellCount: Int
    /// Seconds reading the verified figures, then the builder's own timings, then rendering.
    public var readSeconds: Double = 0
    public var timings: ReportTimings? = nil
    public var renderSeconds: Double = 0
}

/// Builds the report from the database: the template of the catalog edition, the verified figures,
/// disclosure control with CLP, and the rendered files. Refuses (`ReleaseRefused`) when the
/// attacker's audit finds any cell that could still be derived.
public enum ReportPublication {
    public static let templateFile = "report.json"

    /// The template versioned with the catalog edition: `<catalog root>/<edition>/report.json`.
    public static func template(catalogRoot: URL, catalog: CompiledCatalog) throws -> ReportTemplate {
        let url = catalogRoot.appendingPathComponent(catalog.catalog.survey.edition).appendingPathComponent(templateFile)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw AggregateError(message: "目录版本 \(catalog.catalog.survey.edition) 没有报告模板（\(url.path)）")
        }
        do {
            return try JSONDecoder().decode(ReportTemplate.self, from: data)
        } catch {
            throw AggregateError(message: "报告模板 \(url.path) 无法读取：\(error)")
        }
    }

    public static func build(_ db: any Database, catalog: CompiledCatalog, catalogRoot: URL, year: Int,
                             rules: SafetyRules = .standard, mark: String? = nil, edition: String? = nil) async throws -> ReportFiles {
        let template = try template(catalogRoot: catalogRoot, catalog: catalog)
        let started = Date()
        let input = try await ReportInputs.load(db, catalog: catalog, template: template, year: year)
        let read = Date().timeIntervalSince(started)
        let builder = ReportBuilder(template: template, rules: rules, suppression: SecondarySuppression(solver: CLPSolver()),
                                    auditor: AttackerAudit(solver: CLPSolver()))
        let document: ReportDocument
        do {
            document = try await builder.build(input)
        } catch {
            throw AggregateError(message: error.message)
        }
        guard document.audit.passes else {
            throw ReleaseRefused(message: "攻击者审计未通过（\(document.audit.failingCells) 个敏感单元格仍可推算：\(document.audit.failures.prefix(10).joined(separator: "；"))），报告不予生成")
        }
        let rendering = Date()
        var files = try await Offload.run {
            ReportFiles(html: Array(ReportHTML.render(document, mark: mark, edition: edition).utf8),
                        cells: Array(PublishedCellsCSV.cells(document).utf8), provenance: Array(PublishedCellsCSV.provenance(document).utf8),
                        xlsx: try TableExport.xlsx(workbookTables(document)), audit: document.audit, cellCount: document.cells.count)
        }
        files.readSeconds = read
        files.timings = document.timings
        files.renderSeconds = Date().timeIntervalSince(rendering)
        return files
    }

    /// Every table of the report as a sheet in the official layout, numbers as exact decimals.
    static func workbookTables(_ doc: ReportDocument) -> [TableExport.Table] {
        doc.chapters.flatMap { chapter in
            chapter.tables.map { table in
                var notes = table.notes.map { "注：" + $0 }
                if table.hasSuppressed { notes.append("注：" + ReportDocument.suppressedFootnote) }
                return TableExport.Table(title: "表\(table.id)　\(table.title)", subtitle: "\(doc.title)　\(chapter.title)",
                                         sheetName: "表\(table.id)", head: [[table.rowHeader] + table.columns],
                                         rows: table.rows.map { row in [.text(row.label)] + row.cells.map(cell) }, textColumns: 1, notes: notes)
            }
        }
    }

    /// A printed figure back to an exact number (it was printed from one): `1,234.50` → 1234.50.
    static func cell(_ text: String) -> TableExport.Cell {
        let plain = text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "%", with: "")
        if let value = try? NumberInput.parse(plain) { return .decimal(value) }
        return text.isEmpty ? .empty : .text(text)
    }

    /// `report.pdf` printed by headless Chromium from `report.html`, when Chromium is installed.
    /// Returns the browser used, or nil when none was found.
    public static func printPDF(html: URL, to pdf: URL) throws -> String? {
        let candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").map(String.init)
        let explicit = ProcessInfo.processInfo.environment["CHROME_BIN"].map { [$0] } ?? []
        guard let browser = explicit.first(where: FileManager.default.isExecutableFile(atPath:)) ?? candidates.lazy.compactMap({ name in
            paths.map { "\($0)/\(name)" }.first(where: FileManager.default.isExecutableFile(atPath:))
        }).first else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--print-to-pdf-no-header",
                             "--print-to-pdf=\(pdf.path)", html.absoluteURL.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: pdf.path) else {
            throw AggregateError(message: "Chromium 打印 PDF 失败（退出码 \(process.terminationStatus)）")
        }
        return browser
    }
}

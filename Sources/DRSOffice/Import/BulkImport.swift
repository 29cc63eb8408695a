import DRSCore
import DRSExchange
import DRSStorage
import FluentKit
import Foundation
import XLSXReader

/// Bulk import (`drs import`, the import page): workbooks and CSV files, each checked like an upload
/// and stored all or nothing. Re-running skips what is already in (the stored figures equal the
/// file's), so an interrupted run is resumed by running it again.
public enum BulkImport {
    public static let maximumFileBytes = UploadLimits.maximumFileBytes

    public enum Outcome: String, Sendable {
        case imported, unchanged, rejected

        /// As the report beside a run names it.
        var chineseName: String {
            switch self {
            case .imported: "已导入"
            case .unchanged: "未变（跳过）"
            case .rejected: "拒绝"
            }
        }
    }

    public struct FileResult: Sendable {
        public var path: String
        public var outcome: Outcome
        public var unit: String?
        public var form: String?
        public var reasons: [String]

        public init(path: String, outcome: Outcome, unit: String?, form: String?, reasons: [String]) {
            self.path = path
            self.outcome = outcome
            self.unit = unit
            self.form = form
            self.reasons = reasons
        }
    }

    public struct Summary: Sendable {
        public var results: [FileResult] = []

        public init(results: [FileResult] = []) { self.results = results }
        public func count(_ o: Outcome) -> Int { results.filter { $0.outcome == o }.count }

        /// The report written beside the run: one line per file, then the counts.
        public var report: String {
            var lines = ["文件,结果,统一社会信用代码,表号,原因"]
            for r in results {
                lines.append(SubmissionExport.csvLine([r.path, r.outcome.chineseName, r.unit ?? "", r.form ?? "", r.reasons.joined(separator: "；")])
                    .trimmingCharacters(in: .newlines))
            }
            lines.append("")
            lines.append("合计：已导入 \(count(.imported))，未变 \(count(.unchanged))，拒绝 \(count(.rejected))")
            return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
        }
    }

    /// Files under the paths (folders are walked), .xlsx and .csv only, in a stable order.
    public static func files(_ paths: [String]) -> [URL] {
        var found: [URL] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { found.append(URL(fileURLWithPath: path)); continue }
            if isDirectory.boolValue {
                let base = URL(fileURLWithPath: path)
                let names = (fm.enumerator(atPath: path)?.allObjects as? [String] ?? []).filter {
                    let ext = ($0 as NSString).pathExtension.lowercased()
                    return (ext == "xlsx" || ext == "csv") && !($0 as NSString).lastPathComponent.hasPrefix("~$")
                }
                found += names.sorted().map { base.appendingPathComponent($0) }
            } else {
                found.append(URL(fileURLWithPath: path))
            }
        }
        return found
    }

    /// Reads one file into a submission, or the reasons it cannot be used.
    public static func read(_ bytes: [UInt8], name: String, catalog: CompiledCatalog) -> UploadResult {
        if bytes.count > maximumFileBytes {
            return UploadResult(submission: nil, problems: [UploadProblem(code: "too_large", message: "文件过大（超过 \(maximumFileBytes >> 20) MB）")])
        }
        if name.lowercased().hasSuffix(".csv") { return CSVUpload.read(bytes: bytes, catalog: catalog) }
        do {
            return TemplateUpload.read(try XLSXFile.read(bytes), catalog: catalog)
        } catch {
            return UploadResult(submission: nil, problems: [UploadProblem(code: "unreadable", message: error.description)])
        }
    }

    /// Imports one file's submission for the unit its credit code names.
    public static func store(_ result: UploadResult, path: String, db: any Database, store: SubmissionStore, catalog: CompiledCatalog,
                             status: SubmissionStatus, actor: Actor, allowed: (SurveyUnit, String) -> Bool = { _, _ in true }) async throws -> FileResult {
        guard result.isUsable, let doc = result.submission else {
            return FileResult(path: path, outcome: .rejected, unit: result.template?.creditCode, form: result.template?.formID,
                              reasons: result.problems.map(\.description))
        }
        guard let code = doc.unit, !code.isEmpty else {
            return FileResult(path: path, outcome: .rejected, unit: nil, form: doc.formID, reasons: ["文件没有注明统一社会信用代码，无法确定调查单位"])
        }
        guard let unit = try await SurveyUnit.query(on: db).filter(\.$creditCode == code.uppercased()).first() else {
            return FileResult(path: path, outcome: .rejected, unit: code, form: doc.formID, reasons: ["名录库中没有统一社会信用代码为 \(code) 的单位"])
        }
        guard allowed(unit, doc.formID) else {
            return FileResult(path: path, outcome: .rejected, unit: code, form: doc.formID, reasons: ["\(unit.name)不在本账户可以导入的范围内"])
        }
        guard let form = catalog.forms[doc.formID] else {
            return FileResult(path: path, outcome: .rejected, unit: code, form: doc.formID, reasons: ["未知的表「\(doc.formID)」"])
        }
        let files = Set(unit.typeList.flatMap { catalog.catalog.survey.respondentType($0)?.forms ?? [] })
        guard files.contains(form.form.id) else {
            return FileResult(path: path, outcome: .rejected, unit: code, form: doc.formID, reasons: ["\(unit.name)不填报\(form.form.tableNumber)"])
        }
        guard catalog.catalog.survey.reportingYears.contains(doc.year) else {
            return FileResult(path: path, outcome: .rejected, unit: code, form: doc.formID, reasons: ["\(doc.year)年不在本制度的调查年份内"])
        }
        let answers: String? = form.form.kind == .basicInfo ? JSONValue.object(doc.answers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }).serialized() : nil
        let outcome = try await store.importSubmission(unitID: try unit.requireID(), formID: form.form.id, year: doc.year, cells: form.cellMap(doc.values),
                                                       explanations: doc.explanations, answers: answers, status: status,
                                                       source: (path as NSString).lastPathComponent, actor: actor)
        switch outcome {
        case .imported: return FileResult(path: path, outcome: .imported, unit: code, form: form.form.id, reasons: [])
        case .unchanged: return FileResult(path: path, outcome: .unchanged, unit: code, form: form.form.id, reasons: [])
        case .refused(let why): return FileResult(path: path, outcome: .rejected, unit: code, form: form.form.id, reasons: [why])
        }
    }
}

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
        public private(set) var results: [FileResult] = []
        /// Kept as results are added: the progress bar asks after every file, and counting the
        /// results each time made an import of 100,000 files quadratic.
        private var counts: [Outcome: Int] = [:]

        public init(results: [FileResult] = []) { results.forEach { append($0) } }

        public mutating func append(_ result: FileResult) {
            results.append(result)
            counts[result.outcome, default: 0] += 1
        }

        public func count(_ o: Outcome) -> Int { counts[o] ?? 0 }

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

    /// One file to store: what was read from it (nil: it could not be read) and its path.
    public struct File: Sendable {
        public var result: UploadResult?
        public var path: String

        public init(result: UploadResult?, path: String) {
            self.result = result
            self.path = path
        }
    }

    /// Imports one file's submission for the unit its credit code names.
    public static func store(_ result: UploadResult, path: String, db: any Database, store: SubmissionStore, catalog: CompiledCatalog,
                             status: SubmissionStatus, actor: Actor, allowed: (SurveyUnit, String) -> Bool = { _, _ in true }) async throws -> FileResult {
        let stored = try await storeBatch([File(result: result, path: path)], db: db, store: store, catalog: catalog, status: status,
                                          actor: actor, allowed: allowed)
        return stored.first ?? FileResult(path: path, outcome: .rejected, unit: nil, form: nil, reasons: ["未处理"])
    }

    /// Imports files in order, their units read in one query and their submissions stored in one
    /// transaction (`SubmissionStore.importSubmissions`); one result per file, in order.
    public static func storeBatch(_ files: [File], db: any Database, store: SubmissionStore, catalog: CompiledCatalog, status: SubmissionStatus,
                                  actor: Actor, allowed: (SurveyUnit, String) -> Bool = { _, _ in true }) async throws -> [FileResult] {
        let codes = Array(Set(files.compactMap { $0.result?.submission?.unit?.uppercased() }.filter { !$0.isEmpty }))
        var units: [String: SurveyUnit] = [:]
        for start in stride(from: 0, to: codes.count, by: 500) {
            let chunk = Array(codes[start..<min(start + 500, codes.count)])
            for unit in try await SurveyUnit.query(on: db).filter(\.$creditCode ~~ chunk).all() { units[unit.creditCode] = unit }
        }
        var results: [FileResult?] = [], requests: [SubmissionStore.ImportRequest] = [], requested: [(file: Int, code: String)] = []
        for (i, file) in files.enumerated() {
            switch prepare(file, units: units, catalog: catalog, status: status, allowed: allowed) {
            case .rejected(let result):
                results.append(result)
            case .store(let request, let code):
                results.append(nil)
                requests.append(request)
                requested.append((i, code))
            }
        }
        for ((i, code), (request, outcome)) in zip(requested, zip(requests, try await store.importSubmissions(requests, actor: actor))) {
            let path = files[i].path
            switch outcome {
            case .imported: results[i] = FileResult(path: path, outcome: .imported, unit: code, form: request.formID, reasons: [])
            case .unchanged: results[i] = FileResult(path: path, outcome: .unchanged, unit: code, form: request.formID, reasons: [])
            case .refused(let why): results[i] = FileResult(path: path, outcome: .rejected, unit: code, form: request.formID, reasons: [why])
            }
        }
        return results.enumerated().map { i, result in
            result ?? FileResult(path: files[i].path, outcome: .rejected, unit: nil, form: nil, reasons: ["未处理"])
        }
    }

    private enum Prepared {
        case store(SubmissionStore.ImportRequest, code: String)
        case rejected(FileResult)
    }

    /// The submission a file stores for the unit its credit code names, or why it is rejected.
    private static func prepare(_ file: File, units: [String: SurveyUnit], catalog: CompiledCatalog, status: SubmissionStatus,
                                allowed: (SurveyUnit, String) -> Bool) -> Prepared {
        let path = file.path
        guard let result = file.result else {
            return .rejected(FileResult(path: path, outcome: .rejected, unit: nil, form: nil, reasons: ["无法读取文件"]))
        }
        guard result.isUsable, let doc = result.submission else {
            return .rejected(FileResult(path: path, outcome: .rejected, unit: result.template?.creditCode, form: result.template?.formID,
                                        reasons: result.problems.map(\.description)))
        }
        guard let code = doc.unit, !code.isEmpty else {
            return .rejected(FileResult(path: path, outcome: .rejected, unit: nil, form: doc.formID, reasons: ["文件没有注明统一社会信用代码，无法确定调查单位"]))
        }
        func rejected(_ why: String) -> Prepared { .rejected(FileResult(path: path, outcome: .rejected, unit: code, form: doc.formID, reasons: [why])) }
        guard let unit = units[code.uppercased()], let unitID = unit.id else { return rejected("名录库中没有统一社会信用代码为 \(code) 的单位") }
        guard allowed(unit, doc.formID) else { return rejected("\(unit.name)不在本账户可以导入的范围内") }
        guard let form = catalog.forms[doc.formID] else { return rejected("未知的表「\(doc.formID)」") }
        let files = Set(unit.typeList.flatMap { catalog.catalog.survey.respondentType($0)?.forms ?? [] })
        guard files.contains(form.form.id) else { return rejected("\(unit.name)不填报\(form.form.tableNumber)") }
        guard catalog.catalog.survey.reportingYears.contains(doc.year) else { return rejected("\(doc.year)年不在本制度的调查年份内") }
        let answers: String? = form.form.kind == .basicInfo ? JSONValue.object(doc.answers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }).serialized() : nil
        return .store(SubmissionStore.ImportRequest(unitID: unitID, formID: form.form.id, year: doc.year, cells: form.cellMap(doc.values),
                                                    explanations: doc.explanations, answers: answers, status: status,
                                                    source: (path as NSString).lastPathComponent), code: code)
    }
}

import ArgumentParser
import DRSCore
import Foundation

/// `drs validate FILE…`: checks submission files against the catalog.
public struct ValidateCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "审核报表文件（JSON）：按目录中的审核关系、计量单位与同比规则逐项检查。",
        discussion: """
        退出码：0 全部文件无错误（可有提示）；1 有文件存在审核错误；2 有文件无法使用（JSON 格式错误、未知的表或指标代码、数值不是数字等）。
        另列出：仅差四舍五入误差的合计（提醒，见 docs/rounding.md）和尚未填写的必填单元格（空白不等于0，提交前须填写；不影响退出码）。
        文件格式见 docs/submission-format.md；空白报表可用 drs template 生成。
        """
    )

    @OptionGroup var options: CatalogOptions

    @Argument(help: "一个或多个报表文件。")
    var files: [String]

    @Option(help: "输出格式：text（默认，便于阅读）或 json（每个文件一行 JSON）。")
    var format: OutputFormat = .text

    @Option(help: "同比审核阈值（百分比），默认取目录设置（50）。")
    var yoyThreshold: String?

    enum OutputFormat: String, ExpressibleByArgument { case text, json }

    /// What became of one file.
    enum Outcome {
        case unusable([InputProblem])
        case checked(SubmissionDocument, CheckReport)
    }

    public func run() throws {
        var policy: YearOverYearPolicy?
        let catalog = try options.load()
        if let yoyThreshold {
            guard let t = try? NumberInput.parse(yoyThreshold), !t.isNegative else {
                throw ValidationError("--yoy-threshold 应为非负数，如 30")
            }
            policy = YearOverYearPolicy(threshold: t, minimumBase: catalog.survey.yearOverYear.minimumBase.value)
        }
        let compiled = try CompiledCatalog(catalog, yearOverYear: policy)
        var anyError = false, anyUnusable = false
        for file in files {
            let outcome = check(file, compiled)
            switch outcome {
            case .unusable: anyUnusable = true
            case .checked(_, let report): if !report.errors.isEmpty { anyError = true }
            }
            switch format {
            case .json: print(json(file, outcome).serialized())
            case .text: print(text(file, outcome))
            }
        }
        if anyUnusable { throw ExitCode(2) }
        if anyError { throw ExitCode(1) }
    }

    func check(_ file: String, _ catalog: CompiledCatalog) -> Outcome {
        func unusable(_ code: String, _ message: String) -> Outcome {
            .unusable([InputProblem(path: "(文件)", code: code, message: message)])
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            return unusable("unreadable", FileManager.default.fileExists(atPath: file) ? "无法读取文件" : "文件不存在")
        }
        if data.count > 16 << 20 { return unusable("too_large", "文件过大（超过16 MB），不是一份报表") }
        guard let text = String(data: data, encoding: .utf8) else { return unusable("not_utf8", "文件不是 UTF-8 编码的文本") }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return unusable("empty", "文件为空") }
        do {
            let document = try SubmissionReader.read(text, catalog: catalog)
            return .checked(document, catalog.check(document))
        } catch {
            return .unusable(error.problems)
        }
    }

    func json(_ file: String, _ outcome: Outcome) -> JSONValue {
        switch outcome {
        case .unusable(let problems):
            return .object([
                ("file", .string(file)), ("usable", .bool(false)),
                ("problems", .array(problems.map { .object([("path", .string($0.path)), ("code", .string($0.code)), ("message", .string($0.message))]) })),
                ("errors", .array([])), ("warnings", .array([])), ("notes", .array([])), ("missing", .array([])),
            ])
        case .checked(let document, let report):
            return .object([
                ("file", .string(file)), ("usable", .bool(true)), ("form", .string(document.formID)),
                ("year", .number(String(document.year))),
                ("errors", .array(report.errors.map(\.json))), ("warnings", .array(report.warnings.map(\.json))),
                ("notes", .array(report.notes.map(\.json))),
                ("missing", .array(report.missing.map { .object([("key", .string($0.key)), ("message", .string($0.message))]) })),
            ])
        }
    }

    func text(_ file: String, _ outcome: Outcome) -> String {
        switch outcome {
        case .unusable(let problems):
            return (["\(file)：无法使用（\(problems.count)个问题）"] + problems.map { "  ✗ \($0.path)：\($0.message)" }).joined(separator: "\n")
        case .checked(let document, let report):
            var lines: [String]
            if report.isClean {
                lines = ["\(file)：\(document.formID) \(document.year)年，审核通过（无错误、无提示）"]
            } else {
                lines = ["\(file)：\(document.formID) \(document.year)年，\(report.errors.count)个错误，\(report.warnings.count)个提示"]
            }
            lines += report.errors.map { "  ✗ 错误 [\($0.ruleID)] \($0.message)" }
            lines += report.warnings.map { w in
                var line = "  ! 提示 [\(w.ruleID)] \(w.message)"
                if w.needsExplanation { line += w.isExplained ? "（已说明：\(w.explanation ?? "")）" : "（需填写说明）" }
                return line
            }
            lines += report.notes.map { "  ○ 提醒 [\($0.ruleID)] \($0.message)" }
            if !report.missing.isEmpty {
                let shown = report.missing.prefix(10).map(\.message).joined(separator: "；")
                lines.append("  … 尚未填写\(report.missing.count)个必填单元格（提交前须填写，没有发生的填0）：\(shown)\(report.missing.count > 10 ? "等" : "")")
            }
            return lines.joined(separator: "\n")
        }
    }
}

import ArgumentParser
import DRSDisclosure
import DRSReport
import DRSOffice
import DRSStorage
import Foundation

/// `drs report build --year Y --out DIR`: 《全国数据资源调查报告》 from the verified figures.
public struct ReportCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(commandName: "report", abstract: "全国数据资源调查报告。", subcommands: [Build.self])

    public struct Build: AsyncParsableCommand {
        public init() {}

        public static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "生成某年的《全国数据资源调查报告》：report.html、report.pdf（有 Chromium 时）、report.xlsx、cells.csv，以及仅供国家调查机构使用的 provenance.csv。",
            discussion: """
            只使用已核定的数据；每一公布单元格经保密处理（统计法第二十八条）并经攻击者线性规划审计，审计不通过则不生成任何文件。
            报告的章节、表、图和语句见目录版本中的 report.json。
            例：drs report build --year 2026 --out report-2026
            """
        )
        @OptionGroup var storage: StorageOptions
        @Option(help: "数据年度。") var year: Int
        @Option(help: "输出文件夹（不存在则创建）。") var out: String
        @Option(help: "保密规则（同 drs sdc，默认 P(10,1)|FREQ(3,10)）；不写入任何输出文件。") var rules = SafetyRules.standard.description
        @Flag(help: "不打印 PDF。") var noPdf = false
        @Option(help: "封面和每页的标记，如“草稿”。") var mark: String?

        public func run() async throws {
            let parsed: SafetyRules
            do { parsed = try SafetyRules.parse(rules) } catch { throw ValidationError(error.message) }
            let started = Date()
            let files: ReportFiles
            do {
                files = try await OfficeTasks.buildReport(storage: StorageLocation(storage.database), catalogRoot: try storage.root(), year: year,
                                                         rules: parsed, mark: mark)
            } catch let error as AggregateError {
                throw ValidationError(error.message)
            } catch let error as ReleaseRefused {
                throw ValidationError(error.message)
            }
            let directory = URL(fileURLWithPath: out, isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let html = directory.appendingPathComponent("report.html")
            try Data(files.html).write(to: html)
            try Data(files.cells).write(to: directory.appendingPathComponent("cells.csv"))
            try Data(files.provenance).write(to: directory.appendingPathComponent("provenance.csv"))
            try Data(files.xlsx).write(to: directory.appendingPathComponent("report.xlsx"))
            var pdfNote = "未打印 PDF（--no-pdf）"
            if !noPdf {
                pdfNote = try ReportPublication.printPDF(html: html, to: directory.appendingPathComponent("report.pdf"))
                    .map { "report.pdf 由 \($0) 打印" } ?? "未找到 Chromium，未生成 report.pdf"
            }
            let seconds = Date().timeIntervalSince(started)
            let t = files.timings
            let steps = String(format: "读取 %.1f 秒、保密处理 %.1f 秒、审计 %.1f 秒、排版与输出 %.1f 秒", files.readSeconds, t?.protection ?? 0,
                               t?.audit ?? 0, (t?.layout ?? 0) + files.renderSeconds)
            printError("已写入 \(out)：report.html、report.xlsx、cells.csv（\(files.cellCount) 个公布单元格）、provenance.csv（仅限国家调查机构）；\(pdfNote)")
            printError("保密处理：\(files.audit.tables) 张表，一次隐藏 \(files.audit.primary) 格、二次隐藏 \(files.audit.secondary) 格；攻击者审计 \(files.audit.sensitiveCells) 个敏感单元格，0 个可推算；用时 \(String(format: "%.1f", seconds)) 秒（\(steps)）")
        }
    }
}

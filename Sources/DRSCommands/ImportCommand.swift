import ArgumentParser
import DRSOffice
import DRSStorage
import DRSWorkflow
import Foundation
import Synchronization

/// `drs import PATH…`: workbooks and CSV files in bulk, with a progress bar; resumable by re-running.
public struct ImportCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "批量导入报表：Excel 模板（.xlsx）或 CSV 文件，可给文件夹；每份全部成功或不存；中断后重新运行即从断点继续（已导入且未变的跳过）。",
        discussion: """
        例：drs import 公安5表/ --database …                     # 公共5表（公安渠道报送的纸质、传真、电子邮件材料录入后）
            drs import 上年核定数/ --status verified --database …   # 上年核定数，供上年同期摘抄
        每个文件的结果写入报告（默认 import-report.csv）：已导入、未变（跳过）、拒绝及原因。
        """
    )
    @OptionGroup var storage: StorageOptions
    @Argument(help: "文件或文件夹。") var paths: [String]
    @Option(help: "导入后的状态：draft（草稿，默认）、verified（已核定，仅用于上年核定数）。") var status = "draft"
    @Option(help: "报告文件。") var report = "import-report.csv"

    public func run() async throws {
        guard let target = SubmissionStatus(rawValue: status), SubmissionStep.importStatuses.contains(target) else {
            throw ValidationError("--status 只能是 draft 或 verified")
        }
        let clock = ContinuousClock()
        let started = clock.now
        let bar = ProgressBar()
        let summary = try await OfficeTasks.bulkImport(storage: StorageLocation(storage.database), catalogRoot: try storage.root(), paths: paths,
                                                      status: target) { done, total, summary in
            let elapsed = clock.now - started
            let seconds = max(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, 0.001)
            bar.show(done: done, total: total, rate: Double(done) / seconds, imported: summary.count(.imported),
                     unchanged: summary.count(.unchanged), rejected: summary.count(.rejected))
        }
        FileHandle.standardError.write(Data("\n".utf8))
        try Data(summary.report.utf8).write(to: URL(fileURLWithPath: report))
        print("已导入 \(summary.count(.imported))，未变（跳过）\(summary.count(.unchanged))，拒绝 \(summary.count(.rejected))；报告：\(report)")
        if summary.count(.rejected) > 0 { throw ExitCode(1) }
    }
}

/// One line on standard error, redrawn in place: count, share, rate and time left.
final class ProgressBar: Sendable {
    /// When the line was last drawn; the lock also keeps two lines from being drawn at once.
    private let lastDraw = Mutex(ContinuousClock.now)

    func show(done: Int, total: Int, rate: Double, imported: Int, unchanged: Int, rejected: Int) {
        lastDraw.withLock { lastDraw in
            let now = ContinuousClock.now
            guard done == total || now - lastDraw > .milliseconds(100) else { return }
            lastDraw = now
            let width = 30
            let filled = total == 0 ? width : width * done / total
            let left = rate > 0 ? Int(Double(total - done) / rate) : 0
            let line = "\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total)"
                + " \(total == 0 ? 100 : done * 100 / total)%  \(Int(rate)) 份/秒  剩余 \(left / 60)分\(left % 60)秒"
                + "  导入 \(imported) 未变 \(unchanged) 拒绝 \(rejected)   "
            FileHandle.standardError.write(Data(line.utf8))
        }
    }
}

import ArgumentParser
import DRSServer
import DRSStorage
import Foundation

/// `drs share`: the annual package for the statistics bureau (附录七、八).
struct ShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "统计信息共享：生成向国家统计局及统计信息共享数据库提供的年度统计资料包（全国与分地区，按数据供给、流通、应用、安全分主题，含清单）。",
        discussion: "例：drs share --year 2026 --output share-2026 --database …"
    )
    @OptionGroup var storage: StorageOptions
    @Option(help: "数据年度。") var year: Int
    @Option(help: "纳入的状态（默认 verified 已核定）。") var status = "verified"
    @Option(help: "输出文件夹。") var output: String

    func run() async throws {
        let statuses = try statusOption(status)
        let result = try await AdminTasks.share(storage: StorageLocation(storage.database), catalogRoot: try storage.root(), year: year,
                                                statuses: statuses, directory: URL(fileURLWithPath: output))
        print("已生成统计资料包：\(result.directory.path)（\(result.files.count) 个文件，\(result.observations) 个汇总数）")
        for file in result.files { print("  \(file)") }
    }
}

import ArgumentParser
import DRSOffice
import DRSStorage
import Foundation

/// `drs releases list`: what has left the national office, with what disclosure control did to it.
public struct ReleasesCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(commandName: "releases", abstract: "发布记录：离开国家数据局的汇总、SDMX 与统计资料包（去向、保密规则指纹、隐藏格数、审计结果）。",
                                                    subcommands: [List.self])

    public struct List: AsyncParsableCommand {
        public init() {}

        public static let configuration = CommandConfiguration(commandName: "list", abstract: "列出发布记录（最新的在前）。")
        @OptionGroup var storage: StorageOptions
        @Option(help: "最多列出的条数。") var limit = 50

        public func run() async throws {
            guard limit > 0 else { throw ValidationError("--limit 须为正整数") }
            let releases = try await OfficeTasks.releases(storage: StorageLocation(storage.database), catalogRoot: try storage.root(), limit: limit)
            guard !releases.isEmpty else {
                print("暂无发布记录。")
                return
            }
            let formatter = ISO8601DateFormatter()
            print(["时间", "年度", "报表", "分组", "去向", "规则指纹", "一次隐藏", "二次隐藏", "审计未通过", "发布人"].joined(separator: "\t"))
            for r in releases {
                let fingerprint = r.rulesFingerprint.isEmpty ? "-" : String(r.rulesFingerprint.prefix(16))
                print([formatter.string(from: r.createdAt), String(r.year), r.formID, r.breakdown.isEmpty ? "全国" : r.breakdown, r.destination,
                       fingerprint, String(r.primaryCells), String(r.secondaryCells), String(r.cellsFailing), r.createdBy].joined(separator: "\t"))
            }
        }
    }
}

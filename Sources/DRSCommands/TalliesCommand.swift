import ArgumentParser
import DRSStorage
import Foundation

/// `drs tallies [--database D] [--rebuild]`: 报送进度's counts (`ProgressTallies`), kept by the
/// database's triggers, compared with a recount; with `--rebuild`, counted again where they differ.
/// For an operator who changed rows with the triggers off (PostgreSQL's `session_replication_role =
/// replica`, a logical replica's apply) or who wants the proof (docs/operator-guide.md).
public struct TalliesCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "tallies",
        abstract: "核对报送进度计数与各报表所在省份（均由数据库触发器随数据变化维护）与重新计数是否一致；加 --rebuild 则在不一致时重新计数。",
        discussion: "一致时退出码 0；不一致且未加 --rebuild 时列出差异（至多 20 处），退出码 1。")

    @Option(help: "数据库：SQLite 文件路径（默认 drs.sqlite）或 postgres://…") var database = "drs.sqlite"
    @Flag(help: "不一致时按单位与报表重新计数。") var rebuild = false

    public func run() async throws {
        let location = StorageLocation(database)
        // A mistyped path would otherwise be created as a new, empty database, whose tallies agree.
        if case .sqliteFile(let path) = location, !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("找不到数据库文件 \(path)")
        }
        try await StorageSession.with(location) { session in
            let drift = try await ProgressTallies.drift(on: session.db)
            guard !drift.isEmpty else {
                print("报送进度计数与各报表所在省份均与重新计数一致。")
                return
            }
            print("报送进度计数与各报表所在省份和重新计数有 \(drift.count) 处不同（现值 → 重新计数）：")
            for line in drift.prefix(20) { print("  \(line)") }
            guard rebuild else { throw ExitCode(1) }
            try await ProgressTallies.rebuild(on: session.db)
            try await ProgressTallies.placeSubmissions(on: session.db)
            let left = try await ProgressTallies.drift(on: session.db)
            guard left.isEmpty else { throw ValidationError("重新计数后仍有 \(left.count) 处不同。") }
            print("已重新计数，现与数据一致。")
        }
    }
}

import ArgumentParser
import DRSOffice
import DRSStorage
import Foundation

/// `drs backup --database D --output FILE`: a consistent copy of the database (SQLite's online
/// `VACUUM INTO` while the server runs; `pg_dump` for PostgreSQL) and `FILE.manifest.json` with every
/// table's rows and content checksum.
public struct BackupCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "备份数据库（SQLite 在线备份；PostgreSQL 用 pg_dump），并写出各表行数与内容校验和的清单。",
        discussion: "清单与备份同名，后缀 .manifest.json；drs restore 按它核对恢复结果。见 docs/operator-guide.md。")

    @Option(help: "数据库：SQLite 文件路径（默认 drs.sqlite）或 postgres://…") var database = "drs.sqlite"
    @Option(help: "备份文件（不得已存在）。") var output: String

    public func run() async throws {
        let manifest = try await DatabaseBackup.backup(StorageLocation(database), to: URL(fileURLWithPath: output))
        print("已备份 \(StorageLocation(database)) → \(output)：\(manifest.fingerprint.tables.count) 张表，\(manifest.fingerprint.totalRows) 行")
    }
}

/// `drs restore --database D --input FILE [--replace]`: the backup put back, and proved equal to its
/// manifest (rows and checksums of every table) before the command reports success.
public struct RestoreCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "从 drs backup 的备份恢复数据库，并按清单逐表核对行数与内容校验和。",
        discussion: "SQLite：须先停止 drs serve；已有的数据库文件只在加 --replace 时被替换。PostgreSQL：pg_restore --clean，在一个事务中完成。")

    @Option(help: "数据库：SQLite 文件路径（默认 drs.sqlite）或 postgres://…") var database = "drs.sqlite"
    @Option(help: "drs backup 写出的备份文件。") var input: String
    @Flag(help: "SQLite：替换已存在的数据库文件。") var replace = false

    public func run() async throws {
        let manifest = try await DatabaseBackup.restore(URL(fileURLWithPath: input), into: StorageLocation(database), replace: replace)
        print("已恢复 \(input) → \(StorageLocation(database))，核对一致：\(manifest.fingerprint.tables.count) 张表，\(manifest.fingerprint.totalRows) 行")
    }
}

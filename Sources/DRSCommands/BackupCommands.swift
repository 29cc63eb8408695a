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

/// `drs migrate-db --from sqlite:… --to postgres://…`: an SQLite installation moved into an empty
/// PostgreSQL database in one transaction, committed only once every table's rows and content
/// checksum are proved equal on both sides.
public struct MigrateDatabaseCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "migrate-db",
        abstract: "把 SQLite 数据库迁移到 PostgreSQL：逐表复制，核对行数与内容校验和一致后才提交。",
        discussion: "须先停止使用该 SQLite 文件的 drs serve；目标 PostgreSQL 数据库须为空（可以是新建的库）。见 docs/operator-guide.md。")

    @Option(help: "源：SQLite 数据库（sqlite:///路径 或 文件路径）") var from: String
    @Option(help: "目标：postgres://用户:密码@主机:端口/库名") var to: String

    public func run() async throws {
        let started = Date()
        let summary = try await DatabaseMigration.migrate(from: StorageLocation(from), to: StorageLocation(to)) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        print("已迁移 \(StorageLocation(from)) → \(StorageLocation(to))，核对一致：\(summary.tables) 张表，\(summary.rows) 行，用时 \(seconds) 秒")
    }
}

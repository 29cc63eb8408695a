import DRSStorage
import Foundation
import SQLKit
#if canImport(Glibc)
import Glibc
#endif

/// `drs backup` and `drs restore`: a copy of the whole database and the proof that a restore gave
/// back exactly what was copied (docs/operator-guide.md, "Backup and restore").
///
/// - SQLite: `VACUUM INTO` writes a consistent copy while the server runs (SQLite's online backup);
///   a restore checks the copy first, then moves it into place in one rename. The server must be
///   stopped for a restore: its lock (`SingleServerLock`) is taken for the time of the swap.
/// - PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --no-owner`.
///
/// Beside the backup `FILE` goes `FILE.manifest.json`: the database's fingerprint (rows and content
/// checksum of every table) when it was copied. A restore is verified against it, table by table.
public enum DatabaseBackup {
    public struct Manifest: Codable, Sendable {
        public var createdAt: Date
        /// `sqlite` or `postgresql`: a backup is restored into the same engine.
        public var engine: String
        public var fingerprint: DatabaseFingerprint
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    static func manifestURL(_ file: URL) -> URL { URL(fileURLWithPath: file.path + ".manifest.json") }

    static func engine(_ location: StorageLocation) -> String { location.isSQLite ? "sqlite" : "postgresql" }

    /// Copies the database at `location` into `file` and writes its manifest; the manifest.
    public static func backup(_ location: StorageLocation, to file: URL) async throws -> Manifest {
        if FileManager.default.fileExists(atPath: file.path) { throw Failure(description: "备份文件已存在：\(file.path)") }
        let fingerprint: DatabaseFingerprint
        switch location {
        case .sqliteMemory:
            throw Failure(description: "内存数据库没有可备份的文件")
        case .sqliteFile:
            fingerprint = try await StorageSession.with(location) { session in
                // One statement, one read transaction: the copy and the fingerprint see the same data
                // only if nothing writes in between, so the fingerprint is taken of the copy itself.
                guard let sql = session.db as? any SQLDatabase else { throw DatabaseFingerprint.Unsupported() }
                try await sql.raw("VACUUM INTO \(bind: file.path)").run()
                return try await StorageSession.with(.sqliteFile(file.path)) { copy in try await DatabaseFingerprint.of(copy.db) }
            }
        case .postgres(let url):
            try ExternalTool.run("pg_dump", ["--format=custom", "--no-owner", "--file", file.path, "--dbname", url])
            fingerprint = try await StorageSession.with(location) { try await DatabaseFingerprint.of($0.db) }
        }
        let manifest = Manifest(createdAt: Date(), engine: engine(location), fingerprint: fingerprint)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(manifest).write(to: manifestURL(file), options: .atomic)
        return manifest
    }

    /// Restores `file` into `location` and proves it: the restored fingerprint must equal the manifest's.
    /// An SQLite target that exists is replaced only with `replace`.
    public static func restore(_ file: URL, into location: StorageLocation, replace: Bool) async throws -> Manifest {
        let manifest = try readManifest(file)
        guard manifest.engine == engine(location) else {
            throw Failure(description: "备份来自 \(manifest.engine)，不能恢复到 \(engine(location))（换引擎请用迁移）")
        }
        switch location {
        case .sqliteMemory:
            throw Failure(description: "不能恢复到内存数据库")
        case .sqliteFile(let path):
            try await restoreSQLite(file, to: path, manifest: manifest, replace: replace)
        case .postgres(let url):
            try ExternalTool.run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", url, file.path])
            try await verify(location, against: manifest)
        }
        return manifest
    }

    static func readManifest(_ file: URL) throws -> Manifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let data = FileManager.default.contents(atPath: manifestURL(file).path),
              let manifest = try? decoder.decode(Manifest.self, from: data) else {
            throw Failure(description: "找不到或无法读取备份清单 \(manifestURL(file).path)")
        }
        return manifest
    }

    /// The copy is checked where it will live (next to the target), then renamed over it.
    static func restoreSQLite(_ file: URL, to path: String, manifest: Manifest, replace: Bool) async throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: path), !replace { throw Failure(description: "数据库 \(path) 已存在；确认要覆盖时加 --replace") }
        let lock = try SingleServerLock(databasePath: path)
        defer { lock.release() }
        let staging = path + ".restoring"
        // An interrupted restore may have left its copy with a log beside it: neither may meet the new copy.
        SQLiteFileSet.remove(staging)
        try fm.copyItem(atPath: file.path, toPath: staging)
        do {
            try await verify(.sqliteFile(staging), against: manifest)
        } catch {
            SQLiteFileSet.remove(staging)
            throw error
        }
        SQLiteFileSet.removeJournal(path)
        guard rename(staging, path) == 0 else { throw Failure(description: "无法把恢复的数据库移到 \(path)") }
    }

    static func verify(_ location: StorageLocation, against manifest: Manifest) async throws {
        let restored = try await StorageSession.with(location) { try await DatabaseFingerprint.of($0.db) }
        let differences = manifest.fingerprint.differences(from: restored)
        guard differences.isEmpty else {
            throw Failure(description: "恢复后的数据与备份清单不一致：" + differences.prefix(5).joined(separator: "；"))
        }
    }
}

/// A command-line tool of the operating system (pg_dump, pg_restore), run to completion.
enum ExternalTool {
    static func run(_ name: String, _ arguments: [String]) throws {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        // Debian keeps the server's tools under /usr/lib/postgresql/<version>/bin, the newest first.
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let candidates = paths.map { $0 + "/" + name } + versions.sorted().reversed().map { "/usr/lib/postgresql/\($0)/bin/\(name)" }
        guard let tool = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw DatabaseBackup.Failure(description: "未找到 \(name)（Debian：apt-get install postgresql-client）")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw DatabaseBackup.Failure(description: "\(name) 失败（退出码 \(process.terminationStatus)）：\(text)")
        }
    }
}

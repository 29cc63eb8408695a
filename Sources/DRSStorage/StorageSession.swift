import FluentKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit

/// The database opened and migrated without a web server: what each `drs` command works in. The
/// server opens the same database through Vapor's Fluent with the same migrations (`Schema`).
public final class StorageSession: Sendable {
    public let location: StorageLocation
    public let db: any Database
    private let databases: Databases

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    private init(location: StorageLocation, databases: Databases, db: any Database) {
        self.location = location
        self.databases = databases
        self.db = db
    }

    /// Opens `location`, migrates it to the current schema, runs `body`, and closes it again.
    public static func with<T: Sendable>(_ location: StorageLocation, logger: Logger = Logger(label: "drs.storage"),
                                         _ body: (StorageSession) async throws -> T) async throws -> T {
        let session = try await open(location, logger: logger)
        do {
            let result = try await body(session)
            await session.close()
            return result
        } catch {
            await session.close()
            throw error
        }
    }

    static func open(_ location: StorageLocation, logger: Logger) async throws -> StorageSession {
        // The process-wide event loops and thread pool: a command is one short job, and NIO's
        // singletons need no shutdown.
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        try location.register(in: databases)
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        guard let db = databases.database(logger: logger, on: loop) else {
            await databases.shutdownAsync()
            throw Unavailable(description: "无法打开数据库：\(location)")
        }
        let session = StorageSession(location: location, databases: databases, db: db)
        do {
            // One connection (one per event loop, and the session uses one loop), set up as the server's.
            if location.isSQLite, let sql = db as? any SQLDatabase { try await SQLiteConnectionSettings.apply(on: sql) }
            try await session.migrate(on: loop)
        } catch {
            await session.close()
            throw error
        }
        return session
    }

    /// Applies the migrations the database has not seen (the server's `autoMigrate`, the same list).
    private func migrate(on loop: any EventLoop) async throws {
        let migrations = Migrations()
        migrations.add(Schema.migrations)
        let db = self.db
        let migrator = Migrator(databaseFactory: { _ in db }, migrations: migrations, on: loop, migrationLogLevel: .debug)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// A store over this database; on SQLite its writes go one at a time (`WriteGate`), as the server's do.
    public func submissionStore() -> SubmissionStore {
        SubmissionStore(database: db, gate: location.isSQLite ? WriteGate() : nil)
    }

    /// A store for a bulk job (`drs import`): on an SQLite file its imports go through a single writer
    /// of their own (`SQLiteWriter`: prepared statements, a window of files per transaction), which
    /// the caller closes when done; elsewhere as `submissionStore()`.
    public func bulkStore() throws -> (store: SubmissionStore, writer: SQLiteWriter?) {
        guard case .sqliteFile(let path) = location else { return (submissionStore(), nil) }
        let writer = try SQLiteWriter(path: path)
        return (SubmissionStore(database: db, gate: WriteGate(), writer: writer), writer)
    }

    func close() async {
        await databases.shutdownAsync()
    }
}

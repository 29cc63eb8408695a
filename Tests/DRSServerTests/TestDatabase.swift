import DRSStorage
import Fluent
import Foundation
import SQLKit
import Vapor

/// A database of the test's own: a fresh SQLite file, or, when `DRS_TEST_DATABASE` names a
/// PostgreSQL server, a new database on it. Removed afterwards either way, so tests on PostgreSQL
/// run side by side as they do on SQLite, none waiting for another to empty a shared one.
enum TestDatabase {
    /// The server `DRS_TEST_DATABASE` names (its database is only where new ones are made from).
    static let server: String? = {
        guard let url = ProcessInfo.processInfo.environment["DRS_TEST_DATABASE"], !url.isEmpty else { return nil }
        return url
    }()

    static var isSQLite: Bool { server == nil }

    struct Unusable: Error, CustomStringConvertible {
        var description: String
    }

    /// `body` with a new, empty database, removed when it returns or throws.
    static func with<T>(_ body: (StorageLocation) async throws -> T) async throws -> T {
        let location = try await make()
        do {
            let result = try await body(location)
            try await remove(location)
            return result
        } catch {
            try? await remove(location)
            throw error
        }
    }

    private static func make() async throws -> StorageLocation {
        guard let server else {
            return .sqliteFile(FileManager.default.temporaryDirectory.appendingPathComponent("drs-test-\(UUID().uuidString).sqlite").path)
        }
        let name = "drs_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await onServer(server) { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
        return .postgres(try url(server, database: name))
    }

    private static func remove(_ location: StorageLocation) async throws {
        switch location {
        case .sqliteFile(let path):
            SQLiteFileSet.remove(path)
        case .sqliteMemory:
            break
        case .postgres(let url):
            guard let server, let name = URLComponents(string: url)?.path.dropFirst() else { return }
            // FORCE: a connection the test left open (a listener still closing) does not keep it.
            try await onServer(server) { try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run() }
        }
    }

    /// `server`'s URL naming another database on it.
    private static func url(_ server: String, database: String) throws -> String {
        guard var parts = URLComponents(string: server) else { throw Unusable(description: "DRS_TEST_DATABASE is not a URL: \(server)") }
        parts.path = "/" + database
        guard let url = parts.string else { throw Unusable(description: "no URL for database \(database)") }
        return url
    }

    /// One statement on the server's own database, outside any transaction (CREATE and DROP DATABASE
    /// cannot run in one), without migrating it.
    private static func onServer(_ server: String, _ statement: (any SQLDatabase) async throws -> Void) async throws {
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        try StorageLocation.postgres(server).register(in: databases)
        do {
            guard let db = databases.database(logger: Logger(label: "drs.test-database"), on: MultiThreadedEventLoopGroup.singleton.any())
                    as? any SQLDatabase else { throw Unusable(description: "no SQL database at \(server)") }
            try await statement(db)
            await databases.shutdownAsync()
        } catch {
            await databases.shutdownAsync()
            throw error
        }
    }
}

import DRSCore
import DRSNation
import FluentKit
import Foundation
import SQLKit

/// Loads a synthetic nation (DRSNation) into an empty database, fast: the registry first (parents
/// before subsidiaries), then the submissions, generated in parallel chunks of units and written with
/// multi-row INSERTs, one transaction per chunk — never one Fluent save per row. At most `workers`
/// chunks are in memory at once, so 100,000 units stream through without holding their figures.
public struct NationLoader: Sendable {
    public let generator: NationGenerator
    public let chunkSize: Int
    public let workers: Int

    /// What a load wrote.
    public struct Summary: Sendable, Equatable {
        public var units: Int
        public var submissions: Int
        public var accounts: Int
        /// 数据生产总量 of year Y (本年实际, TB) as national totals count it (subsidiaries in their groups).
        public var productionTB: Double
    }

    public struct Refused: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(generator: NationGenerator, chunkSize: Int = 500, workers: Int = 2) {
        self.generator = generator
        self.chunkSize = max(1, chunkSize)
        self.workers = max(1, workers)
    }

    /// Loads everything. With `passwordHash` (a Bcrypt hash, as `drs users` stores), also creates the
    /// accounts `admin` (national office) and `review-<province code>` (one provincial reviewer each).
    public func load(on db: any Database, passwordHash: String? = nil) async throws -> Summary {
        guard let sql = db as? any SQLDatabase else { throw Refused(description: "该数据库不支持 SQL，无法批量载入") }
        let existing = try await SurveyUnit.query(on: db).count()
        if existing > 0 {
            throw Refused(description: "数据库中已有 \(existing) 家调查单位：合成全国数据只能载入空数据库，请换一个新的数据库文件")
        }
        let ids = try await insertUnits(sql, db: db)
        var summary = try await insertSubmissions(db, unitIDs: ids)
        summary.units = ids.count
        if let passwordHash { summary.accounts = try await insertAccounts(db, passwordHash: passwordHash) }
        try await AuditEvent(userID: nil, username: "drs demo nation", address: "-", kind: .unitChanged,
                             detail: "演示：合成全国数据 \(ids.count) 家单位").create(on: db)
        // Every unit and submission appended a row to 报送进度's tallies: one row per key now.
        _ = try await ProgressTallies.compact(on: db)
        return summary
    }

    /// The registry in multi-row INSERTs, one transaction; returns each unit's id by index.
    private func insertUnits(_ sql: any SQLDatabase, db: any Database) async throws -> [UUID] {
        let units = generator.units
        let ids = units.map { _ in TimeOrderedID.make() }
        let now = Date()
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw Refused(description: "该数据库不支持 SQL，无法批量载入") }
            for start in stride(from: 0, to: units.count, by: 500) {
                var insert = sql.insert(into: SurveyUnit.schema).columns(
                    "id", "credit_code", "name", "region_code", "address", "types", "state_owned", "internet_platform",
                    "telecom_operator", "parent_id", "contact", "industry_code", "created_at", "updated_at")
                for unit in units[start..<min(start + 500, units.count)] {
                    let parent: UUID? = unit.parentIndex.map { ids[$0] }
                    insert = insert.values([ids[unit.index], unit.creditCode, unit.name, unit.regionCode, "", unit.types.joined(separator: ","),
                                            unit.stateOwned, unit.internetPlatform, unit.telecomOperator, parent, "",
                                            unit.industryCode, now, now] as [any Encodable & Sendable])
                }
                try await insert.run()
            }
        }
        return ids
    }
}

import DRSCore
import DRSNation
import FluentKit
import Foundation
import SQLKit

extension NationLoader {
    /// One submission row ready to insert.
    struct PreparedRow: Sendable {
        var unitIndex: Int
        var formID: String
        var year: Int
        var status: String
        var cells: String
        var answers: String
    }

    /// A chunk of units' rows and their production total.
    struct PreparedChunk: Sendable {
        var rows: [PreparedRow]
        var productionTB: Double
    }

    /// Generates chunks on `workers` tasks while the previous chunk is written: generation runs on
    /// every core, writing stays one transaction at a time (SQLite has one writer).
    func insertSubmissions(_ db: any Database, unitIDs: [UUID]) async throws -> Summary {
        let chunks = stride(from: 0, to: generator.units.count, by: chunkSize).map { $0..<min($0 + chunkSize, generator.units.count) }
        var summary = Summary(units: 0, submissions: 0, accounts: 0, productionTB: 0)
        try await withThrowingTaskGroup(of: PreparedChunk.self) { group in
            var next = 0
            while next < min(workers, chunks.count) {
                let range = chunks[next]
                group.addTask { prepare(range) }
                next += 1
            }
            while let chunk = try await group.next() {
                if next < chunks.count {
                    let range = chunks[next]
                    group.addTask { prepare(range) }
                    next += 1
                }
                try await write(chunk.rows, db: db, unitIDs: unitIDs)
                summary.submissions += chunk.rows.count
                summary.productionTB += chunk.productionTB
            }
        }
        return summary
    }

    /// Pure work: the chunk's figures, as stored cell maps.
    func prepare(_ range: Range<Int>) -> PreparedChunk {
        var rows: [PreparedRow] = []
        var production = 0.0
        for index in range {
            for submission in generator.submissions(forUnit: index) {
                if submission.year == generator.spec.year, !generator.isConsolidatedAway(submission) {
                    production += generator.productionTB(submission)
                }
                rows.append(PreparedRow(unitIndex: index, formID: submission.formID, year: submission.year,
                                        status: submission.status.rawValue, cells: generator.storedCells(submission),
                                        answers: submission.answers.isEmpty ? "{}" : submission.storedAnswers))
            }
        }
        return PreparedChunk(rows: rows, productionTB: production)
    }

    /// One transaction per chunk; INSERTs of up to 1,000 rows (11 binds each, within SQLite's and
    /// PostgreSQL's limits on parameters).
    func write(_ rows: [PreparedRow], db: any Database, unitIDs: [UUID]) async throws {
        let now = Date()
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw Refused(description: "该数据库不支持 SQL，无法批量载入") }
            for start in stride(from: 0, to: rows.count, by: 1_000) {
                var insert = sql.insert(into: Submission.schema).columns(
                    "id", "unit_id", "form_id", "year", "status", "version", "cells", "answers", "explanations", "submitted_at", "updated_at")
                for row in rows[start..<min(start + 1_000, rows.count)] {
                    let submitted: Date? = row.status == NationStatus.draft.rawValue ? nil : now
                    insert = insert.values([TimeOrderedID.make(at: now), unitIDs[row.unitIndex], row.formID, row.year, row.status, 1,
                                            row.cells, row.answers, "{}", submitted, now] as [any Encodable & Sendable])
                }
                try await insert.run()
            }
        }
    }

    /// `admin` and `review-<province>` with the given hash; returns how many.
    func insertAccounts(_ db: any Database, passwordHash: String) async throws -> Int {
        let provinces = Set(generator.units.map(\.regionCode)).sorted()
        var accounts = [UserAccount(username: "admin", displayName: "国家数据局管理员", passwordHash: passwordHash, role: .admin,
                                    mustChangePassword: false)]
        for province in provinces {
            let department = generator.units.first { $0.regionCode == province && $0.types == ["provincialDataDept"] }
            accounts.append(UserAccount(username: "review-\(province)", displayName: "\(department?.name ?? province)审核员",
                                        passwordHash: passwordHash, role: .provincialReviewer, regionCode: province, mustChangePassword: false))
        }
        let all = accounts
        try await db.transaction { tx in try await all.create(on: tx) }
        return all.count
    }
}

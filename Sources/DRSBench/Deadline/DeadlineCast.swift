import DRSCatalog
import DRSCore
import DRSServer
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import SQLKit
import Vapor

/// Who takes part in the deadline week: filers with a draft (or returned) form of this year, the
/// provinces' reviewers, and the national office running aggregates.
struct DeadlineCast: Sendable {
    struct Filer: Sendable {
        var username: String
        var unit: UUID
        var region: String
        var form: String
    }

    var year: Int
    var filers: [Filer]
    /// Province codes of the filers' units: their reviewers are `review-<code>`.
    var regions: [String]
    /// Forms the national office aggregates in turn (every summable form).
    var aggregateForms: [String]

    static let filerPassword = "deadline2026"

    /// Opens the database (migrating it as a server would), picks the filers, and gives each its own
    /// respondent account `deadline-<n>` (made again on every run; a cheap hash, so logging in is not
    /// what is measured).
    static func prepare(_ options: DeadlineOptions) async throws -> DeadlineCast {
        let app = try await Application.make(.init(name: "production", arguments: ["drs"]))
        app.logger.logLevel = .error
        do {
            try await configure(app, ServerOptions(storage: StorageLocation(options.database), catalogRoot: options.catalogRoot, passwordCost: 4))
            let cast = try await cast(app: app, options: options)
            try await app.asyncShutdown()
            return cast
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    private static func cast(app: Application, options: DeadlineOptions) async throws -> DeadlineCast {
        let catalog = try CatalogLoader.load(root: options.catalogRoot)
        let valueForms = Set(catalog.forms.filter { $0.kind == .indicators }.map(\.id))
        let year = app.surveyYear
        let open = try await Submission.query(on: app.db)
            .filter(\.$year == year).filter(\.$status ~~ [SubmissionStatus.draft, .returned])
            .sort(\.$id).limit(options.filers * 6).all()
        var seen = Set<UUID>()
        var picked: [(unit: UUID, form: String)] = []
        for submission in open where valueForms.contains(submission.formID) && submission.cells.count > 2 && picked.count < options.filers {
            if seen.insert(submission.$unit.id).inserted { picked.append((submission.$unit.id, submission.formID)) }
        }
        guard !picked.isEmpty else {
            throw Abort(.badRequest, reason: "数据库中没有本年度的草稿或退回表：请先用 drs demo nation --accounts 生成模拟全国数据。")
        }
        let units = try await SurveyUnit.query(on: app.db).filter(\.$id ~~ picked.map(\.unit)).all()
        let regionOf = Dictionary(units.compactMap { u in u.id.map { ($0, u.regionCode) } }, uniquingKeysWith: { a, _ in a })
        let hash = try Bcrypt.hash(filerPassword, cost: 4)
        var filers: [Filer] = []
        for (n, pick) in picked.enumerated() {
            let username = "deadline-\(n)"
            try await account(username, unit: pick.unit, hash: hash, on: app.db)
            filers.append(Filer(username: username, unit: pick.unit, region: province(regionOf[pick.unit] ?? "110000"), form: pick.form))
        }
        let summable = catalog.forms.filter { $0.kind == .indicators }.map(\.id)
        try await writeBack(app)
        return DeadlineCast(year: year, filers: filers, regions: Array(Set(filers.map(\.region))).sorted(), aggregateForms: summable)
    }

    /// On PostgreSQL, a `CHECKPOINT` before the load: a database just copied, restored or loaded holds
    /// its pages dirty, and their write-back a little later would hold every save's commit behind it
    /// (docs/benchmarks.md (y)), measuring the disk's catch-up rather than the week. An account that
    /// may not (PostgreSQL 15: superuser or `pg_checkpoint`) is told so, and the run goes on.
    private static func writeBack(_ app: Application) async throws {
        guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        do { try await sql.raw("CHECKPOINT").run() } catch {
            app.logger.error("压测前的 CHECKPOINT 未执行（\(String(reflecting: error))）：刚复制或恢复的数据库的脏页可能在压测中写回，使保存的 p99 偏高。")
        }
    }

    /// The province a region code belongs to (its first two digits, then zeros).
    static func province(_ region: String) -> String { String(region.prefix(2)) + "0000" }

    private static func account(_ username: String, unit: UUID, hash: String, on db: any Database) async throws {
        if let existing = try await UserAccount.query(on: db).filter(\.$username == username).first() {
            existing.$unit.id = unit
            existing.passwordHash = hash
            existing.mustChangePassword = false
            try await existing.save(on: db)
        } else {
            try await UserAccount(username: username, displayName: "压测填报人\(username.dropFirst(9))", passwordHash: hash, role: .respondent,
                                  unitID: unit, mustChangePassword: false).create(on: db)
        }
    }
}

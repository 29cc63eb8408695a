import DRSCatalog
import DRSCore
import DRSDisclosure
import DRSStorage
import FluentKit
import Foundation

/// The national office's jobs over the database, without a web server: what the `drs` commands run
/// (each opens a `StorageSession`), and what the server's pages call with their own database.
public enum OfficeTasks {
    /// Hashes a new password (bcrypt, given by the program that links it: the `drs` executable).
    public typealias PasswordHasher = @Sendable (String) async throws -> String

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Adds an account that must change its password on first login; returns the initial password.
    public static func addUser(storage: StorageLocation, username: String, role roleName: String, name: String?,
                               unitCreditCode: String?, region: String?, password: String?, hash: PasswordHasher) async throws -> String {
        guard let role = Role(rawValue: roleName) else {
            throw Failure(description: "未知的角色「\(roleName)」。可用：\(Role.allCases.map(\.rawValue).joined(separator: "、"))")
        }
        if [.respondent, .association, .publicSecurity, .headquartersReviewer].contains(role), unitCreditCode == nil {
            throw Failure(description: "该角色须用 --unit 指定所属单位的统一社会信用代码")
        }
        if role == .provincialReviewer, region == nil { throw Failure(description: "省级审核员须用 --region 指定省份区划代码") }
        let initial = password ?? String((0..<12).map { _ in "abcdefghjkmnpqrstuvwxyz23456789".randomElement() ?? "x" })
        if let problem = PasswordPolicy.problem(initial, username: username) { throw Failure(description: problem) }
        let passwordHash = try await hash(initial)
        try await StorageSession.with(storage) { session in
            let db = session.db
            if try await UserAccount.query(on: db).filter(\.$username == username).first() != nil {
                throw Failure(description: "用户名「\(username)」已存在")
            }
            var unitID: UUID?
            if let code = unitCreditCode {
                guard let found = try await SurveyUnit.query(on: db).filter(\.$creditCode == code.uppercased()).first() else {
                    throw Failure(description: "名录库中没有统一社会信用代码为 \(code) 的单位")
                }
                unitID = found.id
            }
            let user = UserAccount(username: username, displayName: name ?? username, passwordHash: passwordHash,
                                   role: role, unitID: unitID, regionCode: region, mustChangePassword: true)
            try await db.transaction { tx in
                try await user.create(on: tx)
                try await AuditEvent(userID: nil, username: "drs users add", address: "-", kind: .userChanged,
                                     detail: "新增账户 \(username)（\(role.chineseName)）").create(on: tx)
            }
        }
        return initial
    }

    /// National aggregation of the given forms (all aggregable forms when nil) from the database.
    /// `protection`, when given, runs disclosure control on each form's unit-level records and the
    /// aggregate made of them (`drs aggregate --protect`, `drs sdmx data --protect`): the reports carry
    /// its marks, and once every form has passed the attacker's audit each is recorded as a public
    /// release (a failing form refuses the whole run, nothing recorded).
    public static func aggregate(storage: StorageLocation, catalogRoot: URL, year: Int, forms: [String]?, by: [String],
                                 statuses: Set<SubmissionStatus>, protection: ReleaseProtection? = nil,
                                 maker: ReleaseRecords.Maker = .init(username: "drs aggregate"),
                                 progress: @escaping @Sendable (AggregateReport, ProtectedRelease) -> Void = { _, _ in }) async throws -> [AggregateReport] {
        try await withStorage(storage, catalogRoot: catalogRoot) { session, catalog in
            let db = session.db
            let ids = forms ?? catalog.orderedForms.filter { $0.form.kind != .basicInfo }.map(\.form.id)
            var reports: [AggregateReport] = []
            var releases: [DisclosureRelease] = []
            let groupings = by.isEmpty ? [[]] : [[], by]
            for id in ids {
                guard let protection else {
                    // Totals only: summed run by run as the submissions are read.
                    let (form, table) = try await AggregateInputs.table(db, catalog: catalog, year: year, formID: id, statuses: statuses,
                                                                        groupings: groupings)
                    reports.append(AggregateReport(catalog: catalog, form: form, year: year, by: by, statuses: statuses, table: table))
                    continue
                }
                // Disclosure control needs every unit's contribution.
                let input = try await AggregateInputs.load(db, catalog: catalog, year: year, formID: id, statuses: statuses, lastYear: false)
                let table = try Aggregator(form: input.form).aggregate(input.records, groupings: groupings)
                var report = AggregateReport(catalog: catalog, form: input.form, year: year, by: by, statuses: statuses, table: table)
                let release = try protection.protect(input, table, by: by)
                report.suppression = release.suppression
                progress(report, release)
                releases.append(ReleaseRecords.row(year: year, form: id, by: by, destination: .public,
                                                   fingerprint: protection.fingerprint, release: release, maker: maker))
                reports.append(report)
            }
            if let protection {
                try await ReleaseRecords.store(releases, destination: .public, fingerprint: protection.fingerprint,
                                               what: "\(year)年 \(ids.joined(separator: "、")) 汇总\(by.isEmpty ? "（全国）" : "（按 \(by.joined(separator: ","))）")",
                                               maker: maker, on: db)
            }
            return reports
        }
    }

    /// The releases recorded, newest first.
    public static func releases(storage: StorageLocation, catalogRoot: URL, limit: Int) async throws -> [DisclosureRelease] {
        try await withStorage(storage, catalogRoot: catalogRoot) { session, _ in
            let db = session.db
            return try await DisclosureRelease.query(on: db).sort(\.$createdAt, .descending).limit(limit).all()
        }
    }

    /// Unit-level data of a form and year, streamed to `emit` (a file); returns the rows written.
    public static func export(storage: StorageLocation, catalogRoot: URL, year: Int, formID: String, statuses: Set<SubmissionStatus>,
                              format: String, emit: @escaping @Sendable ([UInt8]) async throws -> Void) async throws -> Int {
        try await withStorage(storage, catalogRoot: catalogRoot) { session, catalog in
            let db = session.db
            guard let form = catalog.forms[formID], form.form.kind != .basicInfo else { throw Failure(description: "「\(formID)」不是数值报表") }
            return try await SubmissionExport.write(db, catalog: catalog, form: form, year: year, statuses: statuses, format: format, emit: emit)
        }
    }

    /// The annual data-sharing package (附录七、八) written to a folder, for an explicit destination:
    /// protected for `public`, unprotected for `nbs`; recorded as releases with an audit line.
    public static func share(storage: StorageLocation, catalogRoot: URL, year: Int, statuses: Set<SubmissionStatus>, directory: URL,
                             destination: ReleaseDestination, protection: ReleaseProtection = .init(),
                             maker: ReleaseRecords.Maker = .init(username: "drs share")) async throws -> SharingPackage.Result {
        try await withStorage(storage, catalogRoot: catalogRoot) { session, catalog in
            let db = session.db
            return try await SharingPackage.release(db, catalog: catalog, year: year, statuses: statuses, to: directory,
                                             destination: destination, protection: protection, maker: maker)
        }
    }

    /// Bulk import of workbooks and CSV files; `progress(done, total, summary)` as files are stored.
    public static func bulkImport(storage: StorageLocation, catalogRoot: URL, paths: [String], status: SubmissionStatus,
                                  progress: @escaping @Sendable (Int, Int, BulkImport.Summary) -> Void) async throws -> BulkImport.Summary {
        try await withStorage(storage, catalogRoot: catalogRoot) { session, catalog in
            let db = session.db
            let files = BulkImport.files(paths)
            let (store, writer) = try session.bulkStore()
            defer { writer?.close() }
            let actor = Actor(userID: nil, username: "drs import", address: "-")
            let summary = try await ImportPipeline.run(files, writers: ImportPipeline.writers(sqlite: storage.isSQLite), read: { url in
                let data = FileManager.default.contents(atPath: url.path)
                return ImportPipeline.ReadFile(url: url, result: data.map { BulkImport.read(Array($0), name: url.lastPathComponent, catalog: catalog) })
            }, store: { batch in
                try await BulkImport.storeBatch(batch.map { BulkImport.File(result: $0.result, path: $0.url.path) }, db: db, store: store,
                                                catalog: catalog, status: status, actor: actor)
            }, progress: { done, summary in progress(done, files.count, summary) })
            // Each new submission appended a row to 报送进度's tallies: summed back before the command ends.
            _ = try await ProgressTallies.compact(on: db, growth: ProgressTallies.compactionGrowth)
            return summary
        }
    }

    /// Imports a registry CSV; returns how many were stored and every rejected line with reasons.
    public static func importUnitsCSV(storage: StorageLocation, catalogRoot: URL, text: String) async throws -> (imported: Int, rejected: [String]) {
        let rows = CSV.rows(text)
        return try await withStorage(storage, catalogRoot: catalogRoot) { session, catalog in
            let db = session.db
            let r = try await importUnits(rows, db: db, catalog: catalog)
            return (r.imported, r.rejected.map { "第\($0.line)行：\($0.reasons.joined(separator: "；"))" })
        }
    }
}

/// Opens the database (migrating it) and the catalog, for one job.
func withStorage<T: Sendable>(_ location: StorageLocation, catalogRoot: URL,
                              _ body: @Sendable (StorageSession, CompiledCatalog) async throws -> T) async throws -> T {
    let catalog = try CompiledCatalog(try CatalogLoader.load(root: catalogRoot))
    return try await StorageSession.with(location) { try await body($0, catalog) }
}

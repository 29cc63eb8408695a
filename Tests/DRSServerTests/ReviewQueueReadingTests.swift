@testable import DRSServer
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// The review queue is filtered, ordered and paged in the database (`QueueQuery`). Checked here
/// against the plain reading of the rules: every submission of the year, kept when the filter and the
/// access table allow it, in the order region, unit name, unit, form. Extra units make it hard:
/// the same name in one region, group subsidiaries, the public-security channel, several types.
@Suite("Review queue read in the database", .serialized)
struct ReviewQueueReadingTests {
    struct Filter {
        var query: String
        var year: Int
        var statuses: Set<SubmissionStatus>? = nil
        var form: String? = nil
        var type: String? = nil
    }

    static let filters = [
        Filter(query: "year=2026", year: 2026),
        Filter(query: "year=2025", year: 2025),
        Filter(query: "year=2026&status=submitted,draft,returned", year: 2026, statuses: [.submitted, .draft, .returned]),
        Filter(query: "year=2026&form=E5", year: 2026, form: "E5"),
        Filter(query: "year=2026&type=dataTechEnterprise", year: 2026, type: "dataTechEnterprise"),
    ]

    @Test func everyAccountsQueueIsWhatTheAccessTableAllowsInOrder() async throws {
        try await TestPlatform.run { app in
            try await Self.addUnits(app)
            for account in ["admin", "review-beijing", "review-guangdong", "cmcc-hq"] {
                var client = Client(app)
                try await client.login(account)
                let user = try #require(try await UserAccount.query(on: app.db).filter(\.$username == account).first())
                for filter in Self.filters {
                    let base = "/api/v1/review/queue?\(filter.query)"
                    let whole = try #require(try await client.send(.GET, base + "&pageSize=500").json["items"] as? [[String: Any]])
                    let expected = try await Self.expected(app, user.subject, filter)
                    #expect(whole.map(Self.key) == expected, "\(account) \(filter.query)")
                    // Pages of three are the same list in pieces.
                    var paged: [String] = []
                    for page in 1...max(1, (expected.count + 2) / 3) {
                        let reply = try await client.send(.GET, base + "&pageSize=3&page=\(page)").json
                        #expect(reply["total"] as? Int == expected.count, "\(account) \(filter.query)")
                        paged += (reply["items"] as? [[String: Any]] ?? []).map(Self.key)
                    }
                    #expect(paged == expected, "\(account) \(filter.query) paged")
                }
            }
        }
    }

    /// The reviewer's desk shows the previous and next submission of its queue and its place there; a
    /// submission outside the queue shows the neighbours of where it would sort.
    @Test func theDeskKnowsItsNeighboursInTheQueue() async throws {
        try await TestPlatform.run { app in
            try await Self.addUnits(app)
            for account in ["admin", "review-guangdong"] {
                var client = Client(app)
                try await client.login(account)
                let user = try #require(try await UserAccount.query(on: app.db).filter(\.$username == account).first())
                let filter = Self.filters[2]
                let queue = try await Self.expected(app, user.subject, filter)
                let everything = try await Self.expected(app, user.subject, Self.filters[0])
                try #require(queue.count >= 3, "\(account)")
                for key in everything {
                    let desk = try await client.send(.GET, "/review/units/\(key.replacingOccurrences(of: "/", with: "/2026/"))?\(filter.query)")
                    #expect(desk.status == .ok)
                    let index = queue.firstIndex(of: key)
                    // Outside the queue: where it sorts among the whole list's order.
                    let before = index ?? queue.filter { everything.firstIndex(of: $0)! < everything.firstIndex(of: key)! }.count
                    let after = index.map { $0 + 1 } ?? before
                    #expect(Self.link(desk.text, "prev-submission") == (before > 0 ? queue[before - 1] : nil), "\(account) \(key)")
                    #expect(Self.link(desk.text, "next-submission") == (after < queue.count ? queue[after] : nil), "\(account) \(key)")
                    let place = index.map { "审核队列第 \($0 + 1) / \(queue.count) 份" } ?? "不在当前审核队列中（队列共 \(queue.count) 份）"
                    #expect(desk.text.contains(place), "\(account) \(key)")
                }
            }
        }
    }

    /// The unit/form a desk link points to.
    static func link(_ page: String, _ id: String) -> String? {
        guard let range = page.range(of: #"href="/review/units/([0-9A-F-]+)/2026/([A-Z0-9]+)[^"]*" id="\#(id)""#, options: .regularExpression) else { return nil }
        let parts = page[range].split(separator: "/")
        return "\(parts[3])/\(parts[5].prefix { $0 != "?" && $0 != "\"" })"
    }

    /// A flagged queue filters by the stored counts, once those of changed submissions are brought up
    /// to date: a stored result of the current version counts as it is; one of an older version is
    /// checked again first.
    @Test func aFlaggedQueueFiltersByCurrentCheckResults() async throws {
        try await TestPlatform.run { app in
            var admin = Client(app)
            try await admin.login("admin")
            let base = "/api/v1/review/queue?year=2025&pageSize=500"
            let all = try #require(try await admin.send(.GET, base).json["items"] as? [[String: Any]])
            #expect(all.count >= 3)
            let flagged = try #require(try await admin.send(.GET, base + "&flag=errors").json["items"] as? [[String: Any]])
            #expect(flagged.map(Self.key) == all.filter { ($0["errors"] as? Int ?? 0) > 0 }.map(Self.key))

            // Two stored results marked with errors: one current, one of a version since replaced.
            let sql = try #require(app.db as? any SQLDatabase)
            let ids = try await sql.raw("SELECT s.id FROM submissions s WHERE s.year = 2025 ORDER BY s.id LIMIT 2").all()
                .map { try $0.decode(column: "id", as: UUID.self) }
            try #require(ids.count == 2)
            try await sql.raw("UPDATE submission_checks SET errors = 5 WHERE submission_id IN (\(bind: ids[0]), \(bind: ids[1]))").run()
            try await sql.raw("UPDATE submissions SET version = version + 1 WHERE id = \(bind: ids[1])").run()
            let marked = try #require(try await admin.send(.GET, base + "&flag=errors").json["items"] as? [[String: Any]])
            let submissionIDs = try await Self.submissionIDs(app, marked)
            #expect(submissionIDs.contains(ids[0]), "the current stored result is read")
            let recheck = try await sql.raw("SELECT errors FROM submission_checks WHERE submission_id = \(bind: ids[1])").first()?
                .decode(column: "errors", as: Int.self)
            #expect(recheck != nil && recheck != 5, "the replaced one is checked again and stored")
            #expect(submissionIDs.contains(ids[1]) == ((recheck ?? 0) > 0))
        }
    }

    /// The background re-check (`CheckRefresher`) finds every submission without a current result,
    /// checks and stores it in batches, and then finds nothing more until a submission changes.
    @Test func theBackgroundRecheckBringsEveryResultUpToDate() async throws {
        try await TestPlatform.run { app in
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("DELETE FROM submission_checks").run()
            let due = try await sql.raw("SELECT COUNT(*) AS n FROM submissions WHERE status <> 'notStarted'").first()?.decode(column: "n", as: Int.self) ?? 0
            try #require(due > 3)
            var rounds = 0, stored = 0, pass = CheckRefresher.Pass()
            while true {
                let round = try await CheckRefresher.round(platform: app.platform, db: app.db, logger: app.logger, batch: 3, pass: &pass)
                #expect(round.found <= 3 && round.stored == round.found)
                stored += round.stored
                rounds += 1
                if round.found == 0 || rounds > 1_000 { break }
            }
            #expect(stored == due && rounds > 1)
            let fresh = try await sql.raw("""
                SELECT COUNT(*) AS n FROM submission_checks c JOIN submissions s ON s.id = c.submission_id
                WHERE c.stamp LIKE (CAST(s.version AS TEXT) || '|%')
                """).first()?.decode(column: "n", as: Int.self)
            #expect(fresh == due)
            // One submission changes: the next round finds that one only.
            try await sql.raw("UPDATE submissions SET version = version + 1 WHERE id = (SELECT id FROM submissions WHERE status <> 'notStarted' ORDER BY id LIMIT 1)").run()
            pass = CheckRefresher.Pass()
            let next = try await CheckRefresher.round(platform: app.platform, db: app.db, logger: app.logger, pass: &pass)
            #expect(next.found == 1 && next.stored == 1)
            #expect(try await CheckRefresher.round(platform: app.platform, db: app.db, logger: app.logger, pass: &pass).found == 0)
            // A flagged queue whose results are current says that none wait.
            var admin = Client(app)
            try await admin.login("admin")
            let reply = try await admin.send(.GET, "/api/v1/review/queue?year=2026&flag=warnings").json
            #expect(reply["unchecked"] as? Int == 0)
            #expect(try await admin.send(.GET, "/api/v1/review/queue?year=2026").json["unchecked"] == nil)
        }
    }

    static func key(_ item: [String: Any]) -> String {
        "\((item["unit"] as? [String: Any])?["id"] as? String ?? "")/\(item["form"] as? String ?? "")"
    }

    static func submissionIDs(_ app: Application, _ items: [[String: Any]]) async throws -> Set<UUID> {
        var found: Set<UUID> = []
        for item in items {
            guard let unit = ((item["unit"] as? [String: Any])?["id"] as? String).flatMap(UUID.init(uuidString:)),
                  let form = item["form"] as? String, let year = item["year"] as? Int else { continue }
            let submission = try await Submission.query(on: app.db).filter(\.$unit.$id == unit).filter(\.$formID == form)
                .filter(\.$year == year).first()
            if let id = submission?.id { found.insert(id) }
        }
        return found
    }

    /// The queue read the plain way: every submission, every unit, the filter and the table per row.
    static func expected(_ app: Application, _ subject: Subject, _ filter: Filter) async throws -> [String] {
        let units = Dictionary(try await SurveyUnit.query(on: app.db).all().compactMap { u in u.id.map { ($0, u) } }, uniquingKeysWith: { a, _ in a })
        let statuses = filter.statuses ?? Set(SubmissionStatus.allCases.filter { $0 != .notStarted })
        let rows = try await Submission.query(on: app.db).filter(\.$year == filter.year).all().compactMap { s -> (QueueQuery.Key, String)? in
            guard let unit = units[s.$unit.id], statuses.contains(s.status), filter.form.map({ $0 == s.formID }) ?? true,
                  filter.type.map({ unit.typeList.contains($0) }) ?? true, app.platform.catalog.forms[s.formID] != nil,
                  AccessPolicy.decide(subject, .viewReview, app.platform.accessTarget(unit, formID: s.formID)).isAllowed else { return nil }
            let key = QueueQuery.Key(regionCode: unit.regionCode, unitName: unit.name, unitID: s.$unit.id, formID: s.formID)
            return (key, "\(s.$unit.id.uuidString)/\(s.formID)")
        }
        return rows.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Twenty units: three names shared within a region, five regions in two provinces, every type in
    /// turn (the public-security one too), three subsidiaries of 中国移动; each with two forms of 2026
    /// in turning statuses.
    static func addUnits(_ app: Application) async throws {
        let types = ["dataTechEnterprise", "provincialDataDept", "publicSecurity", "dataAppEnterprise", "industryAssociation", "centralEnterprise"]
        let regions = ["110000", "110105", "440000", "440300", "310000"]
        let names = ["甲数据公司", "乙数据公司", "甲数据公司", "Alpha 数据"]
        let statuses: [SubmissionStatus] = [.draft, .submitted, .approved, .returned, .verified]
        let headquarters = try await SurveyUnit.query(on: app.db).filter(\.$name ~~ "中国移动").all().first { $0.$parent.id == nil }?.id
        let survey = app.platform.catalog.catalog.survey
        for n in 0..<20 {
            let type = types[n % types.count]
            let unit = SurveyUnit(creditCode: String(format: "Q%017d", n), name: names[n % names.count], regionCode: regions[n % regions.count],
                                  types: n % 7 == 0 ? [type, "dataAppEnterprise"] : [type], parentID: n >= 17 ? headquarters : nil)
            try await unit.create(on: app.db)
            let forms = Set(unit.typeList.flatMap { survey.respondentType($0)?.forms ?? [] }).sorted().prefix(2)
            for (k, form) in forms.enumerated() {
                let submission = Submission(unitID: try unit.requireID(), formID: form, year: 2026)
                submission.status = statuses[(n + k) % statuses.count]
                try await submission.create(on: app.db)
            }
        }
    }
}

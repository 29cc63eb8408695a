@testable import DRSServer
import DRSCore
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import Testing
import Vapor

/// 报送进度 is counted in the database by groups of units, each group decided once by the access
/// table. Checked against the plain reading: every unit, every form it files, the table's decision
/// for each; the list of owing units read page by page is the plain list.
@Suite("Progress counted in the database", .serialized)
struct ProgressCountingTests {
    @Test func everyAccountsProgressIsThePlainCount() async throws {
        try await TestPlatform.run { app in
            try await ReviewQueueReadingTests.addUnits(app)
            for account in ["admin", "review-beijing", "review-guangdong", "cmcc-hq"] {
                var client = Client(app)
                try await client.login(account)
                let user = try #require(try await UserAccount.query(on: app.db).filter(\.$username == account).first())
                for year in [2025, 2026] {
                    let (table, owing) = try await Self.expected(app, user, year: year)
                    let reply = try await client.send(.GET, "/api/v1/progress?year=\(year)&pageSize=500").json
                    let rows = try #require(reply["rows"] as? [[String: Any]])
                    #expect(rows.map(Self.row) == table.rows.map(Self.row), "\(account) \(year)")
                    #expect(Self.row(try #require(reply["total"] as? [String: Any])) == Self.row(table.total), "\(account) \(year)")
                    #expect((reply["outstanding"] as? [[String: Any]] ?? []).map(Self.owing) == owing, "\(account) \(year)")
                    #expect(reply["outstandingHasMore"] as? Bool == false)
                    // Pages of two are the same list in pieces; the page after the last is empty.
                    var paged: [String] = [], page = 1
                    while true {
                        let part = try await client.send(.GET, "/api/v1/progress?year=\(year)&pageSize=2&page=\(page)").json
                        paged += (part["outstanding"] as? [[String: Any]] ?? []).map(Self.owing)
                        guard part["outstandingHasMore"] as? Bool == true, page < 100 else { break }
                        page += 1
                    }
                    #expect(paged == owing, "\(account) \(year) paged")
                    #expect(try await Self.walk(&client, year: year) == owing, "\(account) \(year) continued")
                }
            }
        }
    }

    @Test func aPageContinuesFromAUnitAndRefusesABadOne() async throws {
        try await TestPlatform.run { app in
            var admin = Client(app)
            try await admin.login("admin")
            let first = try await admin.send(.GET, "/api/v1/progress?year=2026&pageSize=1").json
            let unit = try #require(((first["outstanding"] as? [[String: Any]])?.first?["unit"] as? [String: Any])?["id"] as? String)
            for bad in ["after=x", "before=1", "after=\(unit)&before=\(unit)"] {
                let reply = try await admin.send(.GET, "/api/v1/progress?year=2026&" + bad)
                #expect(reply.status == .badRequest && reply.errorCode == "bad_page", "\(bad)")
            }
            #expect((try await admin.send(.GET, "/api/v1/progress?year=2026&after=\(UUID().uuidString)").json["outstanding"] as? [Any])?.isEmpty == true,
                    "a unit not in the registry continues nowhere")
            // The page's links continue after its last unit and before its first.
            let page = try await admin.send(.GET, "/progress?year=2026&pageSize=1&page=2&after=\(unit)")
            #expect(page.status == .ok)
            #expect(page.text.contains("第 2 页"))
            #expect(page.text.contains("page=1&amp;pageSize=1&amp;before=") && page.text.contains("page=3&amp;pageSize=1&amp;after="), "\(page.text.count)")
        }
    }

    /// 全部催报 reads the whole list at once (`SubmissionStore.owingUnits` as one set): the units its
    /// confirmation page would remind are the plain list's, in its order.
    @Test func remindingAllListsExactlyTheUnitsThatOwe() async throws {
        try await TestPlatform.run { app in
            try await ReviewQueueReadingTests.addUnits(app)
            app.reminderListLimit = 100_000
            var admin = try await PagesTests.browserLogin(app, "admin")
            let user = try #require(try await UserAccount.query(on: app.db).filter(\.$username == "admin").first())
            for year in [2025, 2026] {
                let (_, owing) = try await Self.expected(app, user, year: year)
                let page = try await OfficeToolsTests.post(&admin, "/progress/reminders?year=\(year)", [("all", "1")])
                #expect(page.status == .ok)
                let listed = page.text.components(separatedBy: "<tr data-unit=\"").dropFirst().map { String($0.prefix(36)) }
                #expect(listed == owing.map { String($0.prefix(36)) }, "\(year)")
                #expect(!listed.isEmpty)
                #expect(page.text.contains("确认发送催报（\(owing.count)个单位）"))
                // The send asks for the whole list again rather than naming every unit.
                #expect(page.text.contains("name=\"all\" value=\"1\"") && !page.text.contains("name=\"units[]\""))
            }
        }
    }

    /// The two reads of the nation's owing list (`SubmissionStore+Owing`), the walk and the set, give
    /// the same units in the same order for every page, with and without an account's own unit, for
    /// groups named by province, across provinces, both, and one province's alone.
    @Test func theSetAndTheWalkReadTheSameList() async throws {
        try await TestPlatform.run { app in
            try await ReviewQueueReadingTests.addUnits(app)
            let store = app.platform.store(app.db)
            let headquarters = try await SurveyUnit.query(on: app.db).filter(\.$name ~~ "中国移动").all().first { $0.$parent.id == nil }?.id
            let sparse = OwingShare(units: 1_000_000, owedForms: 1), dense = OwingShare(units: 1, owedForms: 1_000_000)
            for own in [nil, headquarters] {
                let provincial = try await Self.everyFormOwed(app, own: own)
                let national = provincial.map { entry in
                    OwedForms(groups: Array(Set(entry.groups.map { var g = $0; g.province = nil; return g })), forms: entry.forms)
                }
                let guangdong = provincial.map { OwedForms(groups: $0.groups.filter { $0.province == "44" }, forms: $0.forms) }
                for owed in [provincial, national, Array(national.prefix(1)) + provincial.dropFirst(), guangdong] {
                    for year in [2025, 2026] {
                        let walked = try await store.owingUnits(year: year, scope: .every, own: own, owed: owed, limit: 100_000).map(\.id)
                        #expect(try await store.owingUnits(year: year, scope: .every, own: own, owed: owed).map(\.id) == walked, "whole \(year)")
                        #expect(year == 2025 || walked.count > 10, "\(walked.count)")
                        for size in 1...3 {
                            for offset in stride(from: size, through: walked.count, by: size) {
                                let expected = Array(walked[offset..<min(offset + size, walked.count)])
                                for share in [sparse, dense] {
                                    let page = try await store.owingUnits(year: year, scope: .every, own: own, owed: owed, offset: offset, limit: size, share: share)
                                    #expect(page.map(\.id) == expected, "\(year) \(offset)+\(size) \(share)")
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// A page by number is read as a set only where the walk to it would be long: far into a sparse
    /// list (the deadline week: 2,079 of 100,000 units owing 3,618 forms), not in a dense one (the
    /// season's start), never for a first page.
    @Test func aLongWalkIsReadAsASet() {
        let deadline = OwingShare(units: 100_000, owedForms: 3_618), start = OwingShare(units: 100_000, owedForms: 200_000)
        #expect(deadline.walkIsLong(offset: 800, limit: 201))
        #expect(!deadline.walkIsLong(offset: 200, limit: 201))
        #expect(!deadline.walkIsLong(offset: 0, limit: 201))
        #expect(!start.walkIsLong(offset: 800, limit: 201))
        #expect(start.walkIsLong(offset: 40_000, limit: 201))
        #expect(OwingShare(units: 100_000, owedForms: 0).walkIsLong(offset: 1, limit: 1), "nothing owed: a walk would pass every unit")
        #expect(OwingShare(units: .max, owedForms: 1).walkIsLong(offset: 500_000_000, limit: 501), "no overflow")
    }

    /// Every group of units owing every form its units file (as the national office sees them).
    static func everyFormOwed(_ app: Application, own: UUID?) async throws -> [OwedForms] {
        var byForms: [[String]: [UnitGroup]] = [:]
        for group in try await app.platform.store(app.db).unitGroupCounts(scope: .every, own: own).keys {
            let parent: UUID? = group.topLevel ? nil : group.parentIsOwn ? own : UUID()
            let standIn = SurveyUnit(id: group.isOwn ? own : UUID(), creditCode: "", name: "", regionCode: (group.province ?? "") + "0000",
                                     types: group.types.split(separator: ",").map(String.init), parentID: parent)
            byForms[app.platform.forms(for: standIn).map(\.form.id), default: []].append(group)
        }
        return byForms.map { OwedForms(groups: $0.value, forms: $0.key) }
    }

    /// The list read as the page's links read it: forward, each page continuing after the last unit
    /// of the one before; then back from the last page, each continuing before the first unit.
    /// Returns the forward list, once the backward walk has been found to give the same pages.
    static func walk(_ client: inout Client, year: Int) async throws -> [String] {
        let base = "/api/v1/progress?year=\(year)&pageSize=2"
        var pages: [[[String: Any]]] = [], from = ""
        while pages.count < 100 {
            let part = try await client.send(.GET, base + from).json
            let units = part["outstanding"] as? [[String: Any]] ?? []
            pages.append(units)
            guard part["outstandingHasMore"] as? Bool == true, let last = (units.last?["unit"] as? [String: Any])?["id"] as? String else { break }
            from = "&after=\(last)"
        }
        for index in pages.indices.dropLast().reversed() {
            guard let first = (pages[index + 1].first?["unit"] as? [String: Any])?["id"] as? String else { continue }
            let back = (try await client.send(.GET, base + "&before=\(first)").json["outstanding"] as? [[String: Any]] ?? []).map(owing)
            #expect(back == pages[index].map(owing), "page \(index + 1) read back")
        }
        return pages.flatMap { $0.map(owing) }
    }

    static func row(_ json: [String: Any]) -> String {
        let keys = ["province", "type", "form", "assigned", "notStarted", "draft", "submitted", "returned", "approved", "verified", "overdue"]
        return keys.map { "\(json[$0] ?? "-")" }.joined(separator: "|")
    }

    static func row(_ row: ProgressTable.Row) -> String {
        let labelled = !row.province.isEmpty
        return ([labelled ? row.province : "-", labelled ? row.type : "-", labelled ? row.form : "-", "\(row.assigned)"]
            + row.byStatus.map(String.init) + ["\(row.overdue)"]).joined(separator: "|")
    }

    static func owing(_ json: [String: Any]) -> String {
        let forms = (json["forms"] as? [[String: Any]] ?? []).map { "\($0["form"] ?? "")=\($0["status"] ?? "")" }
        return "\((json["unit"] as? [String: Any])?["id"] as? String ?? "") \(forms.joined(separator: ","))"
    }

    /// The plain reading: every unit the account may see, every form it files that the account may see.
    static func expected(_ app: Application, _ user: UserAccount, year: Int) async throws -> (ProgressTable, [String]) {
        let platform = app.platform
        let target = { (unit: SurveyUnit, form: String?) in platform.accessTarget(unit, formID: form) }
        let units = try await SurveyUnit.query(on: app.db).all()
            .filter { AccessPolicy.decide(user.subject, .viewUnit, target($0, nil)).isAllowed }
            .sorted { ($0.regionCode, $0.name, $0.id?.uuidString ?? "") < ($1.regionCode, $1.name, $1.id?.uuidString ?? "") }
        let submissions = try await Submission.query(on: app.db).filter(\.$year == year).all()
        let status = Dictionary(submissions.map { ("\($0.$unit.id)/\($0.formID)", $0.status) }, uniquingKeysWith: { a, _ in a })
        var assignments: [ProgressTable.Assignment] = [], owing: [String] = []
        for unit in units {
            var owed: [String] = []
            for form in platform.forms(for: unit) where AccessPolicy.decide(user.subject, .viewForm, target(unit, form.form.id)).isAllowed {
                let s = status["\(unit.id?.uuidString ?? "")/\(form.form.id)"] ?? .notStarted
                assignments.append(.init(province: unit.provinceCode, type: unit.respondentType(filing: form.form.id, in: platform.catalog.catalog.survey),
                                         form: form.form.id, status: s.rawValue))
                if ProgressTable.outstanding.contains(s.rawValue) { owed.append("\(form.form.id)=\(s.rawValue)") }
            }
            if !owed.isEmpty { owing.append("\(unit.id?.uuidString ?? "") \(owed.joined(separator: ","))") }
        }
        let provinces = platform.catalog.catalog.codeLists["provinces"]?.members ?? []
        let table = ProgressTable(assignments, pastDeadline: platform.isOverdue(year),
                                  order: (provinces.map(\.code), platform.catalog.catalog.survey.respondentTypes.map(\.id), platform.catalog.orderedForms.map(\.form.id)))
        return (table, owing)
    }
}

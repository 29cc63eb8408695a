@testable import DRSServer
import DRSStorage
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// 名录库 a page at a time (page and `GET /api/v1/units`): at 100,000 units the whole registry was a
/// 16 MB page and a 28 MB answer. Pages follow the registry's order (region code, name, id) from unit
/// to unit, forwards and back, and the search is the database's.
@Suite("The registry a page at a time", .serialized)
struct RegistryPagingTests {
    /// Every unit in the registry's order, as the database orders it.
    static func registryOrder(_ app: Application) async throws -> [String] {
        let sql = try #require(app.db as? any SQLDatabase)
        return try await sql.raw("SELECT id FROM units ORDER BY region_code, name, id").all()
            .map { try $0.decode(column: "id", as: UUID.self).uuidString }
    }

    static func listed(_ page: String) -> [String] {
        page.components(separatedBy: "<tr data-unit=\"").dropFirst().map { String($0.prefix(36)) }
    }

    @Test func thePagesWalkTheWholeRegistryForwardsAndBack() async throws {
        try await TestPlatform.run { app in
            try await ReviewQueueReadingTests.addUnits(app)   // names shared by several units: the id decides
            let order = try await Self.registryOrder(app)
            var admin = try await PagesTests.browserLogin(app, "admin")
            let walked = try await PageWalk.walk(&admin, from: "/admin/units?pageSize=7", next: "units-next", previous: "units-previous",
                                                 limit: order.count, items: Self.listed) { page in
                #expect(page.status == .ok)
                #expect(page.text.contains("单位（\(order.count)个）"))
            }
            let pages = walked.forward
            #expect(pages.flatMap { $0 } == order)
            #expect(pages.dropLast().allSatisfy { $0.count == 7 })
            #expect(walked.last.contains("第 \(pages.count) 页"))
            #expect(walked.back == pages)
            // A page by number is the same page.
            #expect(Self.listed(try await admin.send(.GET, "/admin/units?pageSize=7&page=2").text) == pages[1])
        }
    }

    @Test func theSearchIsTheDatabasesAndTakesTextLiterally() async throws {
        try await TestPlatform.run { app in
            try await ReviewQueueReadingTests.addUnits(app)
            var admin = try await PagesTests.browserLogin(app, "admin")
            let all = try await SurveyUnit.query(on: app.db).all()
            func ids(_ units: [SurveyUnit]) -> Set<String> { Set(units.compactMap { $0.id?.uuidString }) }
            let byName = try await admin.send(.GET, "/admin/units?q=%E6%95%B0%E6%8D%AE%E5%85%AC%E5%8F%B8")   // 数据公司
            #expect(Set(Self.listed(byName.text)) == ids(all.filter { $0.name.contains("数据公司") }))
            #expect(byName.text.contains("符合条件的 \(all.filter { $0.name.contains("数据公司") }.count)个"))
            let byCode = try await admin.send(.GET, "/admin/units?q=q0000000000000001")   // a credit code's start, any case
            #expect(Set(Self.listed(byCode.text)) == ids(all.filter { $0.creditCode.hasPrefix("Q0000000000000001") }))
            let beijing = try await admin.send(.GET, "/admin/units?province=110000")
            #expect(Set(Self.listed(beijing.text)) == ids(all.filter { $0.regionCode.hasPrefix("11") }))
            #expect(beijing.text.contains("<option value=\"110000\" selected>"))
            // `%` and `_` are characters, not wildcards.
            #expect(Self.listed(try await admin.send(.GET, "/admin/units?q=%25").text).isEmpty)
            #expect(Self.listed(try await admin.send(.GET, "/admin/units?q=_").text).isEmpty)
            // The next page keeps the search.
            let paged = try await admin.send(.GET, "/admin/units?q=%E6%95%B0%E6%8D%AE%E5%85%AC%E5%8F%B8&province=110000&pageSize=2")
            let next = try #require(PageWalk.link(paged.text, "units-next"))
            #expect(next.contains("q=%E6%95%B0%E6%8D%AE%E5%85%AC%E5%8F%B8") && next.contains("province=110000"))
            let second = Self.listed(try await admin.send(.GET, next).text)
            #expect(!second.isEmpty && Set(second).isDisjoint(with: Self.listed(paged.text)))
            #expect(second.allSatisfy { id in all.contains { $0.id?.uuidString == id && $0.name.contains("数据公司") && $0.regionCode.hasPrefix("11") } })
        }
    }

    @Test func theAPIAnswersAPageAndWhereTheNextBegins() async throws {
        try await TestPlatform.run { app in
            try await ReviewQueueReadingTests.addUnits(app)
            let order = try await Self.registryOrder(app)
            var admin = Client(app)
            try await admin.login("admin")
            var read: [String] = []
            var path: String? = "/api/v1/units?pageSize=6"
            while let current = path, read.count <= order.count {
                let reply = try await admin.send(.GET, current)
                #expect(reply.status == .ok)
                let units = try #require(reply.json["units"] as? [[String: Any]])
                read += units.compactMap { $0["id"] as? String }
                path = (reply.json["nextAfter"] as? String).map { "/api/v1/units?pageSize=6&after=\($0)" }
            }
            #expect(read == order)
            let whole = try await admin.send(.GET, "/api/v1/units")
            #expect((whole.json["units"] as? [Any])?.count == order.count && whole.json["nextAfter"] == nil)
            let region = try await admin.send(.GET, "/api/v1/units?region=440300")
            #expect((region.json["units"] as? [[String: Any]])?.allSatisfy { $0["regionCode"] as? String == "440300" } == true)
            for bad in ["pageSize=0", "pageSize=5001", "after=abc"] {
                let reply = try await admin.send(.GET, "/api/v1/units?\(bad)")
                #expect(reply.status == .badRequest && reply.errorCode == "bad_page", "\(bad)")
            }
            #expect(try await admin.send(.GET, "/api/v1/units?after=\(UUID().uuidString)").json["units"] as? [Any] != nil)
        }
    }
}

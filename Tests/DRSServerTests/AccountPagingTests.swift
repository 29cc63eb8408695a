@testable import DRSServer
import DRSStorage
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// 账户管理 a page at a time: a nation has an account or more per unit, and the page listed every one
/// of them with its forms. Pages follow the usernames' order forwards and back; the search is the
/// database's; after a change the page lists the account changed, wherever it is in the order.
@Suite("Accounts a page at a time", .serialized)
struct AccountPagingTests {
    static func addAccounts(_ app: Application) async throws {
        for n in 0..<30 {
            try await UserAccount(username: String(format: "filer-%02d", n), displayName: n % 3 == 0 ? "张三_\(n)" : "李四\(n)",
                                  passwordHash: "x", role: .admin).create(on: app.db)
        }
    }

    static func usernameOrder(_ app: Application) async throws -> [String] {
        let sql = try #require(app.db as? any SQLDatabase)
        return try await sql.raw("SELECT username FROM users ORDER BY username").all().map { try $0.decode(column: "username", as: String.self) }
    }

    static func listed(_ page: String) -> [String] {
        page.components(separatedBy: "<tr data-username=\"").dropFirst().compactMap { $0.components(separatedBy: "\"").first }
    }

    @Test func thePagesWalkEveryAccountForwardsAndBack() async throws {
        try await TestPlatform.run { app in
            try await Self.addAccounts(app)
            let order = try await Self.usernameOrder(app)
            var admin = try await PagesTests.browserLogin(app, "admin")
            let walked = try await PageWalk.walk(&admin, from: "/admin/users?pageSize=9", next: "accounts-next", previous: "accounts-previous",
                                                 limit: order.count, items: Self.listed) { page in
                #expect(page.status == .ok)
                #expect(page.text.contains("账户（\(order.count)个）"))
            }
            #expect(walked.forward.flatMap { $0 } == order)
            #expect(walked.forward.count == (order.count + 8) / 9)
            #expect(walked.back == walked.forward)
        }
    }

    @Test func theSearchIsLiteralAndAChangedAccountIsShown() async throws {
        try await TestPlatform.run { app in
            try await Self.addAccounts(app)
            var admin = try await PagesTests.browserLogin(app, "admin")
            let byName = Self.listed(try await admin.send(.GET, "/admin/users?q=%E5%BC%A0%E4%B8%89").text)   // 张三
            #expect(byName == (0..<30).filter { $0 % 3 == 0 }.map { String(format: "filer-%02d", $0) })
            #expect(Self.listed(try await admin.send(.GET, "/admin/users?q=filer-1").text).count == 10)
            // `_` is a character: only the names that have one.
            #expect(Self.listed(try await admin.send(.GET, "/admin/users?q=_").text) == byName)
            // The last account, disabled from a page that does not list it: the answer lists it.
            let target = try #require(try await UserAccount.query(on: app.db).filter(\.$username == "filer-29").first())
            let done = try await OfficeToolsTests.post(&admin, "/admin/users/\(try target.requireID())/disable?pageSize=5", [])
            #expect(done.text.contains("已停用账户 filer-29"))
            #expect(Self.listed(done.text) == ["filer-29"])
        }
    }
}

import DRSStorage
import Fluent
import Foundation
import Testing
import Vapor

@Suite("Pages render for every role and form", .serialized)
struct PagesTests {
    /// Logs in through the login page, as a browser does (form post with the page's CSRF field).
    static func browserLogin(_ app: Application, _ username: String) async throws -> Client {
        var client = Client(app)
        let page = try await client.send(.GET, "/login")
        let token = page.text.components(separatedBy: "name=\"_csrf\" value=\"").dropFirst().first?.components(separatedBy: "\"").first ?? ""
        client.csrf = token
        let reply = try await client.send(.POST, "/login", json: "username=\(username)&password=demo2026&_csrf=\(token)", contentType: .urlEncodedForm)
        #expect(reply.status == .seeOther || reply.status == .found, "login \(username): \(reply.status)")
        client.csrf = try await client.send(.GET, "/api/v1/me").json["csrfToken"] as? String
        return client
    }

    @Test func everyFormPagePrintViewAndHistoryRenders() async throws {
        try await TestPlatform.run { app in
            for username in ["beijing-data", "lab", "sdc", "cmcc-gd", "data-group", "exchange", "tech", "app", "space", "association", "police"] {
                var client = try await Self.browserLogin(app, username)
                let home = try await client.send(.GET, "/")
                #expect(home.status == .ok, "\(username) home")
                let links = home.text.components(separatedBy: "href=\"/units/").dropFirst().compactMap { $0.components(separatedBy: "\"").first }
                    .filter { !$0.hasSuffix("/print") && !$0.hasSuffix("/history") }
                #expect(!links.isEmpty, "\(username) has forms")
                for link in Set(links) {
                    for suffix in ["", "/print", "/history"] {
                        let page = try await client.send(.GET, "/units/" + link + suffix)
                        #expect(page.status == .ok, "\(username) /units/\(link)\(suffix): \(page.status) \(page.text.prefix(300))")
                        #expect(page.text.contains("数据资源调查平台"))
                    }
                }
            }
        }
    }

    @Test func theFormPageLaysOutTheOfficialTable() async throws {
        try await TestPlatform.run { app in
            var client = try await Self.browserLogin(app, "beijing-data")
            let page = try await client.send(.GET, "/units/\(client.unitIDFromMe())/2026/P2")
            for text in ["省级政府公共数据资源调查表", "公共2表", "国统制〔2026〕37号", "截至本年", "本年实际", "上年同期", "数据生产总量",
                         "data-cell=\"01:cum\"", "单位负责人", "填报说明"] {
                #expect(page.text.contains(text), "missing \(text)")
            }
            // Section headings appear once each, not per row.
            #expect(page.text.components(separatedBy: "二、数据存储").count == 2)
        }
    }

    @Test func aForcedPasswordChangeComesFirst() async throws {
        try await TestPlatform.run { app in
            var admin = Client(app)
            try await admin.login("admin")
            _ = admin
            // A fresh account must change its password before anything else.
            let hash = try await app.password.async.hash("initial123")
            try await app.db.transaction { db in
                let unit = try await SurveyUnit.query(on: db).first()!
                try await UserAccount(username: "newcomer", displayName: "新用户", passwordHash: hash, role: .respondent,
                                                 unitID: unit.id, mustChangePassword: true).create(on: db)
            }
            var newcomer = Client(app)
            let login = try await newcomer.login("newcomer", "initial123")
            #expect(login.json["mustChangePassword"] as? Bool == true)
            let blocked = try await newcomer.send(.GET, "/api/v1/my/forms")
            #expect(blocked.status == .forbidden)
            #expect(blocked.errorCode == "password_change_required")
            let weak = try await newcomer.send(.POST, "/api/v1/password", json: #"{"currentPassword":"initial123","newPassword":"short"}"#)
            #expect(weak.status == .unprocessableEntity)
            let changed = try await newcomer.send(.POST, "/api/v1/password", json: #"{"currentPassword":"initial123","newPassword":"Stronger2026"}"#)
            #expect(changed.status == .noContent)
            #expect(try await newcomer.send(.GET, "/api/v1/my/forms").status == .ok)
        }
    }
}

extension Client {
    mutating func unitIDFromMe() async throws -> String {
        ((try await send(.GET, "/api/v1/me").json["unit"] as? [String: Any])?["id"] as? String) ?? ""
    }
}

@Suite("Registry page", .serialized)
struct RegistryPageTests {
    @Test func administratorsAddUnitsInThePageAndBadCodesAreRefused() async throws {
        try await TestPlatform.run { app in
            var admin = try await PagesTests.browserLogin(app, "admin")
            let list = try await admin.send(.GET, "/admin/units")
            #expect(list.status == .ok)
            #expect(list.text.contains("中国移动通信集团有限公司"))
            let token = admin.csrf ?? ""
            let bad = try await admin.send(.POST, "/admin/units", json: "creditCode=91350100M000100Y44&name=%E6%B5%8B%E8%AF%95&regionCode=350000&type=dataTechEnterprise&_csrf=\(token)", contentType: .urlEncodedForm)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("第18位（校验码）应为「3」"))
            let good = try await admin.send(.POST, "/admin/units", json: "creditCode=91350100M000100Y43&name=%E6%B5%8B%E8%AF%95%E5%8D%95%E4%BD%8D&regionCode=350000&type=dataTechEnterprise&_csrf=\(token)", contentType: .urlEncodedForm)
            #expect(good.status == .ok)
            #expect(good.text.contains("已保存：测试单位"))
            var respondent = try await PagesTests.browserLogin(app, "beijing-data")
            #expect(try await respondent.send(.GET, "/admin/units").status == .forbidden)
        }
    }
}

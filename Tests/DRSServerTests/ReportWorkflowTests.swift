import DRSServer
import DRSStorage
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// The release of 《全国数据资源调查报告》: draft → 抄送国家统计局 → 发布 → 修订. A published
/// edition's bytes never change; anonymous visitors reach only published editions' public files.
@Suite("Report release workflow", .serialized)
struct ReportWorkflowTests {
    static let notice = "更正北京市数据存储量的计量口径：原按十进制换算，现按二进制换算"

    @Test func draftCopyPublishRevise() async throws {
        try await TestPlatform.run { app in
            var admin = Client(app)
            try await admin.login("admin")

            // Draft: rebuilt on request, marked, never stored.
            let page = try await admin.send(.GET, "/admin/report?year=2025")
            #expect(page.status == .ok)
            #expect(page.text.contains("抄送国家统计局"))
            let draft = try await admin.send(.GET, "/admin/report/draft?year=2025")
            #expect(draft.status == .ok)
            #expect(draft.text.contains("草稿"))
            #expect(draft.headers.first(name: .cacheControl) == "private, no-store")
            #expect(try await ReportEdition.query(on: app.db).count() == 0)

            // 抄送国家统计局: the frozen candidate with its files and hash; not public.
            let first = try await sendToNBS(&admin, app)
            #expect(first.edition == 1 && first.state == .nbs && first.nbsBy == "admin")
            let firstFiles = try await files(app, first)
            #expect(Set(firstFiles.keys).isSuperset(of: ["report.html", "report.xlsx", "cells.csv", "provenance.csv"]))
            #expect(!String(decoding: try #require(firstFiles["report.html"]), as: UTF8.self).contains("草稿"))
            #expect(try await anonymous(app, "/reports/\(try first.requireID())/report.html").status == .notFound)
            #expect(try await admin.send(.GET, "/admin/report/editions/\(try first.requireID())/provenance.csv").status == .ok)
            #expect(try await admin.send(.POST, "/admin/report/nbs", json: #"{"year":2025}"#).status == .conflict, "one candidate at a time")

            // 发布: the same rows, now public.
            try await publish(&admin, app, first)
            let published = try #require(try await ReportEdition.find(first.requireID(), on: app.db))
            #expect(published.state == .published && published.publishedBy == "admin" && published.publishedAt != nil)
            #expect(published.contentHash == first.contentHash)
            #expect(try await files(app, published) == firstFiles)
            let html = try await anonymous(app, "/reports/\(try first.requireID())/report.html")
            #expect(html.status == .ok && html.bytes == firstFiles["report.html"])

            // 修订 without a notice: refused, nothing changes.
            for body in [#"{"year":2025}"#, #"{"year":2025,"notice":"   "}"#] {
                #expect(try await admin.send(.POST, "/admin/report/revise", json: body).status == .unprocessableEntity)
            }
            #expect(try await ReportEdition.query(on: app.db).count() == 1)

            // 修订 with a notice: edition 2 names the notice; a waiting candidate is not public.
            let reply = try await admin.send(.POST, "/admin/report/revise", json: #"{"year":2025,"notice":"\#(Self.notice)"}"#)
            #expect(reply.status == .seeOther)
            let second = try #require(try await ReportEdition.query(on: app.db).filter(\.$edition == 2).first())
            #expect(second.state == .nbs && second.notice == Self.notice)
            let secondFiles = try await files(app, second)
            let secondHTML = String(decoding: try #require(secondFiles["report.html"]), as: UTF8.self)
            #expect(secondHTML.contains(Self.notice) && secondHTML.contains("第2版"))
            #expect(try await anonymous(app, "/reports/\(try second.requireID())/cells.csv").status == .notFound)
            #expect(!(try await anonymous(app, "/reports").text.contains(try second.requireID().uuidString)))
            try await publish(&admin, app, second)

            // The first edition: same bytes and hash, superseded, still downloadable.
            let old = try #require(try await ReportEdition.find(first.requireID(), on: app.db))
            #expect(old.contentHash == first.contentHash && old.supersededBy == second.id && old.state == .published)
            #expect(try await files(app, old) == firstFiles)
            try await checkPublicPage(app, first: old, second: second, firstFiles: firstFiles)
            try await checkAudit(app, first: first, second: second)
        }
    }

    @Test func onlyTheNationalOfficeActs() async throws {
        try await TestPlatform.run { app in
            for username in ["review-beijing", "beijing-data"] {
                var client = Client(app)
                try await client.login(username)
                #expect(try await client.send(.GET, "/admin/report?year=2025").status == .forbidden, "\(username)")
                #expect(try await client.send(.GET, "/admin/report/draft?year=2025").status == .forbidden, "\(username)")
                for step in ["nbs", "publish", "revise"] {
                    let reply = try await client.send(.POST, "/admin/report/\(step)", json: #"{"year":2025,"notice":"x"}"#)
                    #expect(reply.status == .forbidden, "\(username) \(step)")
                }
            }
            let page = try await anonymous(app, "/admin/report?year=2025")
            #expect(page.status == .seeOther && page.headers.first(name: .location) == "/login")
            #expect(try await anonymous(app, "/admin/report/draft?year=2025").status == .seeOther)
            #expect(try await ReportEdition.query(on: app.db).count() == 0)
            #expect(try await anonymous(app, "/reports").status == .ok)
        }
    }

    // MARK: - Steps and checks

    func sendToNBS(_ admin: inout Client, _ app: Application) async throws -> ReportEdition {
        let reply = try await admin.send(.POST, "/admin/report/nbs", json: #"{"year":2025}"#)
        #expect(reply.status == .seeOther)
        #expect(reply.headers.first(name: .location) == "/admin/report?year=2025&done=nbs")
        let edition = try #require(try await ReportEdition.query(on: app.db).filter(\.$year == 2025).first())
        #expect(edition.contentHash.count == 64)
        return edition
    }

    func publish(_ admin: inout Client, _ app: Application, _ edition: ReportEdition) async throws {
        let reply = try await admin.send(.POST, "/admin/report/publish", json: #"{"year":2025,"edition":"\#(try edition.requireID())"}"#)
        #expect(reply.status == .seeOther)
        let again = try await admin.send(.POST, "/admin/report/publish", json: #"{"year":2025,"edition":"\#(try edition.requireID())"}"#)
        #expect(again.status == .conflict, "published once")
    }

    /// The stored files of an edition, by name; each file's hash matches its bytes.
    func files(_ app: Application, _ edition: ReportEdition) async throws -> [String: [UInt8]] {
        let rows = try await ReportEditionFile.query(on: app.db).filter(\.$editionID == edition.requireID()).all()
        for row in rows { #expect(row.sha256 == SHA256.hash(data: row.bytes).map { String(format: "%02x", $0) }.joined()) }
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.name, Array($0.bytes)) })
    }

    func checkPublicPage(_ app: Application, first: ReportEdition, second: ReportEdition, firstFiles: [String: [UInt8]]) async throws {
        let list = try await anonymous(app, "/reports")
        #expect(list.status == .ok)
        let (firstID, secondID) = (try first.requireID().uuidString, try second.requireID().uuidString)
        #expect(list.text.contains(firstID) && list.text.contains(secondID))
        #expect(list.text.contains(Self.notice) && list.text.contains("已被第2版取代"))
        #expect(!list.text.contains("provenance.csv"))
        let id = try first.requireID()
        for name in ["report.html", "report.xlsx", "cells.csv"] + (firstFiles["report.pdf"] == nil ? [] : ["report.pdf"]) {
            let download = try await anonymous(app, "/reports/\(id)/\(name)")
            #expect(download.status == .ok && download.bytes == firstFiles[name], "\(name)")
            #expect(download.headers.first(name: .contentDisposition)?.contains("filename*=UTF-8''%E5%85%A8%E5%9B%BD") == true)
        }
        #expect(try await anonymous(app, "/reports/\(id)/cells.csv").headers.first(name: .contentType) == "text/csv; charset=utf-8")
        #expect(try await anonymous(app, "/reports/\(id)/provenance.csv").status == .notFound)
        #expect(try await anonymous(app, "/reports/\(id)/secret.txt").status == .notFound)
        #expect(try await anonymous(app, "/reports/\(try second.requireID())/report.html").status == .ok)
    }

    /// Four steps, four audit lines, each naming its edition's hash; the revision's its notice.
    func checkAudit(_ app: Application, first: ReportEdition, second: ReportEdition) async throws {
        let lines = try await AuditEvent.query(on: app.db).filter(\.$kind == .released).all().map(\.detail)
            .filter { $0.contains("全国数据资源调查报告") }
        #expect(lines.count == 4)
        #expect(lines.filter { $0.contains(first.contentHash) }.count == 2)
        #expect(lines.filter { $0.contains(second.contentHash) && $0.contains(Self.notice) }.count == 2)
        #expect(lines.contains { $0.contains("第1版抄送国家统计局") } && lines.contains { $0.contains("第2版发布，取代第1版") })
    }

    struct Raw {
        var status: HTTPStatus
        var headers: HTTPHeaders
        var bytes: [UInt8]
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// A request without any cookie: what the public gets.
    func anonymous(_ app: Application, _ path: String) async throws -> Raw {
        let response = try await app.testing().sendRequest(.GET, path)
        return Raw(status: response.status, headers: response.headers, bytes: Array(response.body.readableBytesView))
    }
}

import Foundation
import Testing
import Vapor

@Suite("Reviewers' pages and progress", .serialized)
struct ReviewPagesTests {
    @Test func queueReviewPageAndProgressRenderWithinScope() async throws {
        try await TestPlatform.run { app in
            var beijing = Client(app)
            try await beijing.login("beijing-data")
            try await fillAndSubmit(&beijing, "P2")
            let bjUnit = beijing.unitID!

            var reviewer = try await PagesTests.browserLogin(app, "review-beijing")
            let queue = try await reviewer.send(.GET, "/review")
            #expect(queue.status == .ok)
            #expect(queue.text.contains("北京市政务服务和数据管理局"))
            #expect(!queue.text.contains("广东省政务服务和数据管理局"))
            let page = try await reviewer.send(.GET, "/review/units/\(bjUnit)/2026/P2")
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"approve-button\""))
            #expect(page.text.contains("id=\"return-button\""))
            #expect(!page.text.contains("id=\"verify-button\""), "only the national office verifies")
            #expect(page.text.contains("上年核定"))

            var gdReviewer = try await PagesTests.browserLogin(app, "review-guangdong")
            #expect(try await gdReviewer.send(.GET, "/review/units/\(bjUnit)/2026/P2").status == .notFound)
            var filer = try await PagesTests.browserLogin(app, "beijing-data")
            #expect(try await filer.send(.GET, "/review").status == .forbidden)
            #expect(try await filer.send(.GET, "/progress").status == .forbidden)
            #expect(try await filer.send(.GET, "/api/v1/progress").status == .forbidden)

            // Progress: the province sees its own units only; the page, JSON and CSV agree.
            let progress = try await reviewer.send(.GET, "/api/v1/progress?year=2026").json
            let rows = progress["rows"] as! [[String: Any]]
            #expect(Set(rows.map { $0["province"] as! String }) == ["110000"])
            let p2 = rows.first { $0["form"] as? String == "P2" && $0["type"] as? String == "provincialDataDept" }!
            #expect(p2["assigned"] as? Int == 1)
            #expect(p2["submitted"] as? Int == 1)
            let total = progress["total"] as! [String: Any]
            let pageText = try await reviewer.send(.GET, "/progress").text
            #expect(pageText.contains("id=\"total-assigned\">\(total["assigned"] as! Int)<"))
            let csv = try await reviewer.send(.GET, "/api/v1/progress/export?format=csv&year=2026")
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            let lines = csv.text.split(separator: "\r\n")
            #expect(lines.first?.hasPrefix("\u{FEFF}省份,调查对象类型,表号,应报") == true)
            #expect(lines.last?.hasPrefix("合计,,,\(total["assigned"] as! Int),") == true)
            #expect(try await reviewer.send(.GET, "/api/v1/progress/export?format=pdf").status == .badRequest)

            // The national office sees every province; headquarters its group.
            var admin = try await PagesTests.browserLogin(app, "admin")
            let all = try await admin.send(.GET, "/api/v1/progress?year=2026").json
            #expect(Set((all["rows"] as! [[String: Any]]).map { $0["province"] as! String }) == ["110000", "310000", "440000"])
            #expect((all["outstanding"] as! [Any]).count > 5)
            var hq = try await PagesTests.browserLogin(app, "cmcc-hq")
            let group = try await hq.send(.GET, "/api/v1/progress?year=2026").json
            #expect((group["total"] as! [String: Any])["assigned"] as? Int == 6, "headquarters + two subsidiaries × 企业1表, 企业2表")
            let home = try await hq.send(.GET, "/")
            #expect(home.text.contains("集团汇总"))
            let hqUnit = ((try await hq.send(.GET, "/api/v1/me").json["unit"]) as! [String: Any])["id"] as! String
            let consolidation = try await hq.send(.GET, "/units/\(hqUnit)/2026/E2/consolidation")
            #expect(consolidation.status == .ok)
            #expect(consolidation.text.contains("中国移动通信集团广东有限公司"))
            #expect(consolidation.text.contains("data-cell=\"16:cur\""), "总部本部 figures are entered on the page")
            // Only a consolidating headquarters has a consolidation.
            #expect(try await admin.send(.GET, "/api/v1/units/\(bjUnit)/consolidation/2026/P2").status == .notFound)
        }
    }
}

@Suite("Follow-up lists", .serialized)
struct FollowUpTests {
    @Test func largeYearOverYearChangesAreListedByWeight() async throws {
        try await TestPlatform.run { app in
            var beijing = Client(app), guangdong = Client(app)
            try await beijing.login("beijing-data")
            try await guangdong.login("guangdong-data")
            // Beijing triples 数据生产总量 (explained); Guangdong keeps last year's figures.
            var tripled = ""
            try await fillAndSubmit(&beijing, "P2", adjust: { values in
                let cur = Decimal(string: values["01"]!["cur"] as! String)!
                tripled = "\(cur * 3)"
                values["01"]!["cur"] = tripled
                values["01"]!["cum"] = "\(Decimal(string: values["01"]!["cum"] as! String)! + cur * 3)"
            }, explain: "新建政务云平台投产")
            try await fillAndSubmit(&guangdong, "P2")
            var admin = Client(app)
            try await admin.login("admin")
            let lists = try await admin.send(.GET, "/api/v1/follow-up?year=2026&form=P2").json
            let yoy = lists["yearOverYear"] as! [[String: Any]]
            let item = yoy.first { $0["cell"] as? String == "01:cur" }
            #expect(item != nil)
            #expect((item?["unit"] as? [String: Any])?["name"] as? String == "北京市政务服务和数据管理局")
            #expect(item?["changePercent"] as? String == "200%")
            #expect(item?["url"] as? String == "/review/units/\(beijing.unitID!)/2026/P2")
            #expect(yoy.allSatisfy { ($0["unit"] as? [String: Any])?["name"] as? String != "广东省政务服务和数据管理局" })
            let page = try await admin.send(.GET, "/follow-up?form=P2")
            #expect(page.status == .ok)
            #expect(page.text.contains("北京市政务服务和数据管理局"))
            #expect(lists["current"] as? Bool == true && lists["computedAt"] is String)
            #expect(page.text.contains("清单计算于") && !page.text.contains("follow-up-stale"), "quick lists are current when shown")
            #expect(try await beijing.send(.GET, "/api/v1/follow-up?form=P2").status == .forbidden)

            // In pages: one item of each list per page, the pages together the whole lists.
            let total = try #require(lists["yearOverYearTotal"] as? Int)
            #expect(total == yoy.count && total >= 1 && lists["page"] as? Int == 1)
            let outliers = try #require(lists["outliersTotal"] as? Int)
            var seen: [String] = []
            let pages = max(total, outliers)
            for number in 1...pages {
                let one = try await admin.send(.GET, "/api/v1/follow-up?year=2026&form=P2&pageSize=1&page=\(number)").json
                #expect(one["pages"] as? Int == pages && one["yearOverYearTotal"] as? Int == total)
                seen += (one["yearOverYear"] as? [[String: Any]] ?? []).compactMap { $0["cell"] as? String }
            }
            #expect(seen == yoy.compactMap { $0["cell"] as? String })
            #expect(try await admin.send(.GET, "/api/v1/follow-up?year=2026&form=P2&pageSize=9999").errorCode == "bad_page")
        }
    }
}

@Suite("Unit-level export", .serialized)
struct ExportTests {
    @Test func theNationalOfficeExportsEverySubmittedFormStreamed() async throws {
        try await TestPlatform.run { app in
            var beijing = Client(app), guangdong = Client(app), admin = Client(app)
            try await beijing.login("beijing-data")
            try await guangdong.login("guangdong-data")
            try await admin.login("admin")
            let values = try await fillAndSubmit(&beijing, "P2")
            try await fillAndSubmit(&guangdong, "P2")
            let csv = try await admin.send(.GET, "/api/v1/export/submissions?year=2026&form=P2&format=csv")
            #expect(csv.status == .ok)
            let lines = csv.text.split(separator: "\r\n").map(String.init)
            #expect(lines.count == 4, "two header lines and two units")
            #expect(lines[1].hasPrefix("creditCode,name,region,type,status,version,01:cum,"))
            let codes = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let bj = lines.first { $0.contains("北京市政务服务和数据管理局") }!.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(Decimal(string: bj[codes.firstIndex(of: "01:cur")!]) == Decimal(string: values["01"]!["cur"] as! String))
            #expect(bj[codes.firstIndex(of: "status")!] == "已提交")
            let xlsx = try await admin.send(.GET, "/api/v1/export/submissions?year=2026&form=P2&format=xlsx")
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers.contentType?.description.contains("spreadsheetml") == true)
            #expect(try await beijing.send(.GET, "/api/v1/export/submissions?year=2026&form=P2").status == .forbidden)
            #expect(try await admin.send(.GET, "/api/v1/export/submissions?year=2026&form=P1").errorCode == "bad_form")
        }
    }
}

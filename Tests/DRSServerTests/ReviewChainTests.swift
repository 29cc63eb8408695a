import Foundation
import Testing
import Vapor

/// Fills a form with last year's verified figures (上年同期 = last year's 本年实际), which pass every
/// rule, and submits it. Returns the submitted figures.
@discardableResult
func fillAndSubmit(_ client: inout Client, _ form: String, unit: String? = nil,
                   adjust: (inout [String: [String: Any]]) -> Void = { _ in }, explain: String? = nil) async throws -> [String: [String: Any]] {
    let path = client.submissionPath(form, unit: unit)
    let detail = try await client.send(.GET, path).json
    let submission = detail["submission"] as! [String: Any]
    var values = detail["lastYear"] as! [String: [String: Any]]
    for (code, row) in values {
        if let cur = row["cur"] { values[code]!["prev"] = cur } else { values[code]!["prev"] = nil }
    }
    adjust(&values)
    let body = try JSONSerialization.data(withJSONObject: ["version": submission["version"] as! Int, "values": values])
    var reply = try await client.send(.PUT, path, json: String(decoding: body, as: UTF8.self))
    #expect(reply.status == .ok, "\(reply.text)")
    let report = reply.json["report"] as? [String: Any]
    #expect((report?["errors"] as? [Any])?.isEmpty == true, "\(String(describing: report?["errors"]))")
    var version = reply.json["version"] as! Int
    if let explain {
        try await explainAll(&client, path, explain)
        version = (try await client.send(.GET, path).json["submission"] as! [String: Any])["version"] as! Int
    }
    reply = try await client.send(.POST, path + "/submit", json: #"{"version":\#(version)}"#)
    #expect(reply.status == .ok, "\(reply.text)")
    return values
}

/// Writes an explanation for every warning that needs one, keeping the figures.
func explainAll(_ client: inout Client, _ path: String, _ text: String) async throws {
    let detail = try await client.send(.GET, path).json
    let submission = detail["submission"] as! [String: Any]
    let warnings = ((detail["report"] as! [String: Any])["warnings"] as! [[String: Any]]).filter { $0["needsExplanation"] as? Bool == true }
    var explanations: [String: String] = [:]
    for w in warnings { if let code = (w["cells"] as? [[String: Any]])?.first?["code"] as? String { explanations[code] = text } }
    let body = try JSONSerialization.data(withJSONObject: ["version": submission["version"] as! Int, "values": submission["values"]!,
                                                           "explanations": explanations])
    let reply = try await client.send(.PUT, path, json: String(decoding: body, as: UTF8.self))
    #expect(reply.status == .ok)
}

func version(_ client: inout Client, _ path: String) async throws -> Int {
    (try await client.send(.GET, path).json["submission"] as! [String: Any])["version"] as! Int
}

@Suite("The review chain", .serialized)
struct ReviewChainTests {
    @Test func provinceReturnsApprovesAndTheNationalOfficeVerifiesAndReopens() async throws {
        try await TestPlatform.run { app in
            var beijing = Client(app), guangdong = Client(app), reviewer = Client(app), gdReviewer = Client(app), admin = Client(app)
            try await beijing.login("beijing-data")
            try await guangdong.login("guangdong-data")
            try await reviewer.login("review-beijing")
            try await gdReviewer.login("review-guangdong")
            try await admin.login("admin")
            let bj = beijing.submissionPath("P2"), gd = guangdong.submissionPath("P2")
            try await fillAndSubmit(&beijing, "P2")
            try await fillAndSubmit(&guangdong, "P2")

            // The Beijing queue has Beijing's submission, not Guangdong's.
            let queue = try await reviewer.send(.GET, "/api/v1/review/queue?year=2026&status=submitted").json["items"] as! [[String: Any]]
            let names = queue.map { ($0["unit"] as! [String: Any])["name"] as! String }
            #expect(names.contains("北京市政务服务和数据管理局"))
            #expect(!names.contains("广东省政务服务和数据管理局"))
            #expect(try await reviewer.send(.POST, gd + "/approve", json: #"{"version":2}"#).status == .notFound)
            #expect(try await reviewer.send(.GET, gd + "/review").status == .notFound)
            // A filer reviews nothing.
            #expect(try await beijing.send(.GET, "/api/v1/review/queue").status == .forbidden)
            #expect(try await beijing.send(.POST, bj + "/approve", json: #"{"version":2}"#).status == .notFound)

            // Returned: a reason is required, and the filer sees it.
            var v = try await version(&reviewer, bj)
            var reply = try await reviewer.send(.POST, bj + "/return", json: #"{"version":\#(v),"reason":"  "}"#)
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.errorCode == "reason_required")
            reply = try await reviewer.send(.POST, bj + "/return", json: #"{"version":\#(v),"reason":"数据生产总量与上年口径不一致，请核实"}"#)
            #expect(reply.status == .ok, "\(reply.text)")
            let forms = try await beijing.send(.GET, "/api/v1/my/forms").json["forms"] as! [[String: Any]]
            let p2 = forms.first { $0["form"] as? String == "P2" }!
            #expect(p2["status"] as? String == "returned")
            #expect(p2["returnReason"] as? String == "数据生产总量与上年口径不一致，请核实")

            // Fixed and resubmitted; the reviewer sees exactly the cells changed since the return.
            let detail = try await beijing.send(.GET, bj).json["submission"] as! [String: Any]
            var values = detail["values"] as! [String: [String: Any]]
            let oldCum = values["01"]!["cum"] as! String
            let newCum = String(Int(Double(oldCum)!.rounded(.down)) + 7)
            values["01"]!["cum"] = newCum
            let body = try JSONSerialization.data(withJSONObject: ["version": detail["version"] as! Int, "values": values])
            reply = try await beijing.send(.PUT, bj, json: String(decoding: body, as: UTF8.self))
            #expect(reply.status == .ok)
            reply = try await beijing.send(.POST, bj + "/submit", json: #"{"version":\#(reply.json["version"] as! Int)}"#)
            #expect(reply.status == .ok, "\(reply.text)")
            let review = try await reviewer.send(.GET, bj + "/review").json
            let changed = review["changedSinceReturn"] as! [[String: Any]]
            #expect(changed.count == 1)
            #expect(changed.first?["cell"] as? String == "01:cum")
            #expect(changed.first?["before"] as? String == oldCum)
            #expect(changed.first?["now"] as? String == newCum)
            #expect((review["actions"] as? [String]) == ["approve", "return"])

            // Approved by the province; verified (核定) only by the national office.
            v = try await version(&reviewer, bj)
            #expect(try await reviewer.send(.POST, bj + "/approve", json: #"{"version":\#(v)}"#).status == .ok)
            v = try await version(&reviewer, bj)
            reply = try await reviewer.send(.POST, bj + "/verify", json: #"{"version":\#(v)}"#)
            #expect(reply.status == .forbidden)
            reply = try await admin.send(.POST, bj + "/verify", json: #"{"version":\#(v - 1)}"#)
            #expect(reply.status == .conflict, "a stale version is refused")
            reply = try await admin.send(.POST, bj + "/verify", json: #"{"version":\#(v)}"#)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["status"] as? String == "verified")

            // Guangdong: approved by its province and verified.
            v = try await version(&gdReviewer, gd)
            #expect(try await gdReviewer.send(.POST, gd + "/approve", json: #"{"version":\#(v)}"#).status == .ok)
            #expect(try await admin.send(.POST, gd + "/verify", json: #"{"version":\#(v + 1)}"#).status == .ok)

            // The national aggregate of the verified 公共2表: sums exactly, 冷数据占比 [15] weighted by 数据存储总量 [05].
            let bjValues = (try await beijing.send(.GET, bj).json["submission"] as! [String: Any])["values"] as! [String: [String: Any]]
            let gdValues = (try await guangdong.send(.GET, gd).json["submission"] as! [String: Any])["values"] as! [String: [String: Any]]
            func dec(_ v: Any?) -> Decimal { Decimal(string: (v as? String) ?? "0")! }
            func aggregate(_ query: String) async throws -> [String: [String: Any]] {
                let json = try await admin.send(.GET, "/api/v1/aggregate?year=2026&form=P2" + query).json
                let groups = json["groups"] as! [[String: Any]]
                return Dictionary(uniqueKeysWithValues: (groups.first!["cells"] as! [[String: Any]]).map { ($0["cell"] as! String, $0) })
            }
            var national = try await aggregate("")
            #expect(dec(national["01:cur"]?["total"]) == dec(bjValues["01"]?["cur"]) + dec(gdValues["01"]?["cur"]))
            #expect(national["01:cur"]?["units"] as? Int == 2)
            let storage = dec(bjValues["05"]?["cur"]) + dec(gdValues["05"]?["cur"])
            var share = (dec(bjValues["15"]?["cur"]) * dec(bjValues["05"]?["cur"]) + dec(gdValues["15"]?["cur"]) * dec(gdValues["05"]?["cur"])) / storage
            var rounded = Decimal()
            NSDecimalRound(&rounded, &share, 4, .plain)
            #expect(dec(national["15:cur"]?["total"]) == rounded, "冷数据占比 is the storage-weighted share")
            #expect(dec(national["15:cur"]?["total"]) != dec(bjValues["15"]?["cur"]) + dec(gdValues["15"]?["cur"]), "never the sum")
            #expect(dec(national["15:cur"]?["base"]) == storage)
            // By province: each province's own figure.
            let byProvince = try await admin.send(.GET, "/api/v1/aggregate?year=2026&form=P2&by=province").json["groups"] as! [[String: Any]]
            #expect(byProvince.map { ($0["key"] as! [String: Any])["province"] as! String } == ["110000", "440000"])
            // Only the national office aggregates; bad parameters are refused clearly.
            #expect(try await reviewer.send(.GET, "/api/v1/aggregate?year=2026&form=P2").status == .forbidden)
            #expect(try await admin.send(.GET, "/api/v1/aggregate?year=2026&form=P2&by=city").errorCode == "bad_dimension")
            #expect(try await admin.send(.GET, "/api/v1/aggregate?year=2026&form=P1").errorCode == "bad_form")

            // Locked: nobody changes a verified submission without a recorded reopen.
            v = try await version(&beijing, bj)
            reply = try await beijing.send(.PUT, bj, json: #"{"version":\#(v),"values":{"01":{"cum":"1"}}}"#)
            #expect(reply.errorCode == "not_editable")
            reply = try await reviewer.send(.POST, bj + "/return", json: #"{"version":\#(v),"reason":"再看看"}"#)
            #expect(reply.status == .conflict)
            reply = try await admin.send(.POST, bj + "/reopen", json: #"{"version":\#(v)}"#)
            #expect(reply.errorCode == "reason_required")
            reply = try await reviewer.send(.POST, bj + "/reopen", json: #"{"version":\#(v),"reason":"x"}"#)
            #expect(reply.status == .forbidden)
            reply = try await admin.send(.POST, bj + "/reopen", json: #"{"version":\#(v),"reason":"国家核查发现存储量需更正"}"#)
            #expect(reply.status == .ok)
            #expect(reply.json["status"] as? String == "returned")
            let events = try await admin.send(.GET, bj + "/history").json["events"] as! [[String: Any]]
            let steps = events.filter { $0["kind"] as? String == "statusChanged" }.compactMap { $0["detail"] as? String }
            #expect(steps.contains("退回：数据生产总量与上年口径不一致，请核实"))
            #expect(steps.contains("审核通过"))
            #expect(steps.contains("核定"))
            #expect(steps.contains("重新打开：国家核查发现存储量需更正"))

            // Reopened, Beijing leaves the verified aggregate.
            national = try await aggregate("")
            #expect(dec(national["01:cur"]?["total"]) == dec(gdValues["01"]?["cur"]))
            #expect(national["01:cur"]?["units"] as? Int == 1)

        }
    }

    @Test func headquartersConsolidatesItsSubsidiaries() async throws {
        try await TestPlatform.run { app in
            var gdSub = Client(app), shSub = Client(app), hq = Client(app), admin = Client(app), gdReviewer = Client(app)
            try await gdSub.login("cmcc-gd")
            try await shSub.login("cmcc-sh")
            try await hq.login("cmcc-hq")
            try await admin.login("admin")
            try await gdReviewer.login("review-guangdong")
            let group = hq.unitID!
            let gdValues = try await fillAndSubmit(&gdSub, "E2")
            let shValues = try await fillAndSubmit(&shSub, "E2")
            let gd = gdSub.submissionPath("E2"), sh = shSub.submissionPath("E2")

            // Subsidiaries are reviewed by their headquarters, not by the province.
            #expect(try await gdReviewer.send(.POST, gd + "/approve", json: #"{"version":2}"#).status == .notFound)
            let queue = try await hq.send(.GET, "/api/v1/review/queue").json["items"] as! [[String: Any]]
            #expect(Set(queue.map { ($0["unit"] as! [String: Any])["name"] as! String }) == ["中国移动通信集团广东有限公司", "中国移动通信集团上海有限公司"])
            for path in [gd, sh] {
                let v = try await version(&hq, path)
                #expect(try await hq.send(.POST, path + "/approve", json: #"{"version":\#(v)}"#).status == .ok)
            }

            // Consolidated: additive rows summed, 冷数据占比 weighted by 数据存储总量 [16].
            let consolidation = "/api/v1/units/\(group)/consolidation/2026/E2"
            // The headquarters' own figures (总部本部): 100 TB of storage, no 冷数据占比 of its own.
            var reply = try await hq.send(.PUT, consolidation + "/own", json: #"{"version":0,"values":{"16":{"cur":"100"}}}"#)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(try await hq.send(.PUT, consolidation + "/own", json: #"{"version":0,"values":{"16":{"cur":"1"}}}"#).status == .conflict)
            #expect(try await gdSub.send(.PUT, consolidation + "/own", json: #"{"version":1,"values":{}}"#).status == .notFound)
            reply = try await hq.send(.POST, consolidation)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect((reply.json["lineage"] as! [[String: Any]]).count == 2)
            let groupValues = (try await hq.send(.GET, hq.submissionPath("E2")).json["submission"] as! [String: Any])["values"] as! [String: [String: Any]]
            func dec(_ v: Any?) -> Decimal { Decimal(string: (v as? String) ?? "0")! }
            let storage = dec(gdValues["16"]?["cur"]) + dec(shValues["16"]?["cur"])
            #expect(dec(groupValues["16"]?["cur"]) == storage + 100)
            let weighted = (dec(gdValues["29"]?["cur"]) * dec(gdValues["16"]?["cur"]) + dec(shValues["29"]?["cur"]) * dec(shValues["16"]?["cur"])) / storage
            var rounded = Decimal(), w = weighted
            NSDecimalRound(&rounded, &w, 4, .plain)
            #expect(dec(groupValues["29"]?["cur"]) == rounded)
            #expect(dec(groupValues["29"]?["cur"]) != dec(gdValues["29"]?["cur"]) + dec(shValues["29"]?["cur"]))

            // The group submits; the national office verifies the subsidiary and the group.
            let groupPath = hq.submissionPath("E2")
            try await explainAll(&hq, groupPath, "集团汇总口径：本年新增纳入两家省公司")
            var v = try await version(&hq, groupPath)
            reply = try await hq.send(.POST, groupPath + "/submit", json: #"{"version":\#(v)}"#)
            #expect(reply.status == .ok, "\(reply.text.prefix(300))")
            v = try await version(&admin, groupPath)
            #expect(try await admin.send(.POST, groupPath + "/verify", json: #"{"version":\#(v)}"#).status == .ok)
            v = try await version(&admin, gd)
            #expect(try await admin.send(.POST, gd + "/verify", json: #"{"version":\#(v)}"#).status == .ok)

            // Reopening a subsidiary reopens the group's report and recomputes it without that subsidiary.
            v = try await version(&admin, gd)
            reply = try await admin.send(.POST, gd + "/reopen", json: #"{"version":\#(v),"reason":"广东公司存储量更正"}"#)
            #expect(reply.status == .ok, "\(reply.text)")
            let groupNow = try await hq.send(.GET, hq.submissionPath("E2")).json["submission"] as! [String: Any]
            #expect(groupNow["status"] as? String == "returned")
            #expect(dec((groupNow["values"] as! [String: [String: Any]])["16"]?["cur"]) == dec(shValues["16"]?["cur"]) + 100)
            let state = try await hq.send(.GET, consolidation).json
            #expect((state["lineage"] as! [[String: Any]]).map { $0["name"] as? String } == ["中国移动通信集团上海有限公司"])
        }
    }
}

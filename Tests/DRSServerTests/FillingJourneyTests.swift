import Foundation
import Testing
import Vapor

@Suite("Filling a form through the API", .serialized)
struct FillingJourneyTests {
    @Test func respondentFillsChecksExplainsAndSubmits() async throws {
        try await TestPlatform.run { app in
            var client = Client(app)
            #expect(try await client.login("beijing-data").status == .ok)

            // My forms for 2026: 公共1表 and 公共2表, with the days left before 2027-03-10.
            let forms = try await client.send(.GET, "/api/v1/my/forms").json
            #expect((forms["forms"] as? [[String: Any]])?.map { $0["form"] as! String } == ["P1", "P2"])
            #expect(forms["deadline"] as? String == "2027-03-10")
            #expect(forms["daysLeft"] as? Int == 108)

            // 上年同期 carried over from 2025's verified 本年实际.
            let detail = try await client.send(.GET, client.submissionPath("P2")).json
            let submission = detail["submission"] as! [String: Any]
            #expect(submission["status"] as? String == "notStarted")
            #expect(submission["carriedOver"] as? Bool == true)
            let lastYear = detail["lastYear"] as! [String: [String: Any]]
            let values = submission["values"] as! [String: [String: Any]]
            #expect(values["01"]?["prev"] as? String == lastYear["01"]?["cur"] as? String)
            let lastCur = Double(lastYear["01"]!["cur"] as! String)!

            // A rule error, reported while typing (the save answers with the checks).
            var reply = try await client.send(.PUT, client.submissionPath("P2"), json: #"""
                {"version":0,"values":{"01":{"cum":"100"},"02":{"cum":"80"},"03":{"cum":"50"}}}
                """#)
            #expect(reply.status == .ok)
            #expect(reply.json["version"] as? Int == 1)
            var report = reply.json["report"] as! [String: Any]
            let errors = report["errors"] as! [[String: Any]]
            #expect(errors.contains { ($0["message"] as? String) == "数据生产总量[01]=100 应 ≥ 设备设施采集数据总量[02]+系统/软件生成数据总量[03]=130（截至本年）" })

            // Submitting with errors is refused.
            reply = try await client.send(.POST, client.submissionPath("P2") + "/submit", json: #"{"version":1}"#)
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.errorCode == "has_errors")

            // Fixed; now a large change against last year needs an explanation.
            let big = String(Int(lastCur * 3) + 1)
            reply = try await client.send(.PUT, client.submissionPath("P2"), json: #"""
                {"version":1,"values":{"01":{"cum":"200","cur":"\#(big)"},"02":{"cum":"80"},"03":{"cum":"50"}}}
                """#)
            #expect(reply.status == .ok)
            report = reply.json["report"] as! [String: Any]
            #expect((report["errors"] as! [Any]).isEmpty)
            let warnings = report["warnings"] as! [[String: Any]]
            #expect(warnings.contains { $0["ruleId"] as? String == "P2-YOY-01" && $0["needsExplanation"] as? Bool == true })
            #expect(report["blocksSubmission"] as? Bool == true)
            // Blank is not zero: the rest of the form must be given before anything else.
            #expect((report["missing"] as? [[String: Any]])?.isEmpty == false)
            reply = try await client.send(.POST, client.submissionPath("P2") + "/submit", json: #"{"version":2}"#)
            #expect(reply.errorCode == "has_errors")
            #expect(reply.errorMessage?.contains("必填单元格未填写") == true, "\(reply.errorMessage ?? "")")

            // Every cell filled (figures continuing last year's); the large change still needs its explanation.
            let complete = CompleteFigures.json("P2", lastYear: lastYear, overrides: ["01:cur": big])
            reply = try await client.send(.PUT, client.submissionPath("P2"), json: #"{"version":2,"values":\#(complete)}"#)
            report = reply.json["report"] as! [String: Any]
            #expect((report["missing"] as? [Any])?.isEmpty == true, "\(report["missing"] ?? "")")
            reply = try await client.send(.POST, client.submissionPath("P2") + "/submit", json: #"{"version":3}"#)
            #expect(reply.errorCode == "has_errors")
            #expect(reply.errorMessage?.contains("需要填写说明") == true)

            reply = try await client.send(.PUT, client.submissionPath("P2"), json: #"""
                {"version":3,"values":\#(complete),"explanations":{"01":"新建政务云平台投产"}}
                """#)
            #expect((reply.json["report"] as! [String: Any])["blocksSubmission"] as? Bool == false, "\(reply.text.prefix(2000))")

            reply = try await client.send(.POST, client.submissionPath("P2") + "/submit", json: #"{"version":4}"#)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["statusName"] as? String == "已提交")

            // Read-only after submitting.
            reply = try await client.send(.PUT, client.submissionPath("P2"), json: #"{"version":5,"values":{"01":{"cum":"1"}}}"#)
            #expect(reply.status == .conflict)
            #expect(reply.errorCode == "not_editable")

            // The history has every changed value and every status change, with who and from where.
            let events = try await client.send(.GET, client.submissionPath("P2") + "/history").json["events"] as! [[String: Any]]
            #expect(events.contains { $0["cell"] as? String == "01:cum" && $0["old"] as? String == "100" && $0["new"] as? String == "200" })
            #expect(events.contains { $0["kind"] as? String == "statusChanged" && $0["new"] as? String == "submitted" })
            #expect(events.allSatisfy { $0["username"] as? String == "beijing-data" })
        }
    }

    @Test func staleSavesAreRefusedWithTheDifferingCells() async throws {
        try await TestPlatform.run { app in
            var first = Client(app), second = Client(app)
            try await first.login("beijing-data")
            try await second.login("beijing-data")
            let path = first.submissionPath("P2")
            #expect(try await first.send(.PUT, path, json: #"{"version":0,"values":{"01":{"cum":"300"}}}"#).status == .ok)
            let stale = try await second.send(.PUT, path, json: #"{"version":0,"values":{"01":{"cum":"250"}}}"#)
            #expect(stale.status == .conflict)
            #expect(stale.errorCode == "version_conflict")
            let cells = ((stale.json["error"] as! [String: Any])["details"] as! [String: Any])["cells"] as! [[String: Any]]
            #expect(cells.contains { $0["cell"] as? String == "01:cum" && $0["yours"] as? String == "250" && $0["current"] as? String == "300" })
            // Nothing lost: the first save stands.
            let values = ((try await first.send(.GET, path).json["submission"] as! [String: Any])["values"] as! [String: [String: Any]])
            #expect(values["01"]?["cum"] as? String == "300")
        }
    }

    @Test func concurrentSavesFromOneVersionGiveOneSuccess() async throws {
        try await TestPlatform.run { app in
            var a = Client(app), b = Client(app)
            try await a.login("beijing-data")
            try await b.login("beijing-data")
            let path = a.submissionPath("P2")
            let (ca, cb) = (a, b)
            async let ra = { var c = ca; return try await c.send(.PUT, path, json: #"{"version":0,"values":{"01":{"cum":"1"}}}"#).status }()
            async let rb = { var c = cb; return try await c.send(.PUT, path, json: #"{"version":0,"values":{"01":{"cum":"2"}}}"#).status }()
            let statuses = try await [ra, rb]
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 1)
        }
    }

    /// Saves queued together are written in one transaction by SQLite's single writer; a refused one
    /// must write nothing (no figure, no audit line) while the one that won is kept whole.
    @Test func manyConcurrentStaleSavesKeepOneWinnerAndItsAuditOnly() async throws {
        try await TestPlatform.run { app in
            var client = Client(app)
            try await client.login("beijing-data")
            let path = client.submissionPath("P2")
            let statuses = try await withThrowingTaskGroup(of: (Int, HTTPStatus).self) { group in
                for i in 1...8 {
                    let c = client
                    group.addTask {
                        var mine = c
                        return (i, try await mine.send(.PUT, path, json: #"{"version":0,"values":{"01":{"cum":"\#(i * 100)"}}}"#).status)
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            let winners = statuses.filter { $0.value == .ok }.map(\.key)
            #expect(winners.count == 1)
            #expect(statuses.values.filter { $0 == .conflict }.count == 7)
            let detail = try await client.send(.GET, path).json["submission"] as! [String: Any]
            #expect(detail["version"] as? Int == 1)
            let values = detail["values"] as! [String: [String: Any]]
            #expect(values["01"]?["cum"] as? String == "\(winners[0] * 100)")
            let events = try await client.send(.GET, path + "/history").json["events"] as! [[String: Any]]
            let changes = events.filter { $0["cell"] as? String == "01:cum" }
            #expect(changes.count == 1)
            #expect(changes.first?["new"] as? String == "\(winners[0] * 100)")
        }
    }
}

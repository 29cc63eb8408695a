import DRSCore
import DRSOffice
import DRSServer
import Foundation
import Testing
import Vapor
import XLSXReader

/// Input a filer (or anyone with an account) can send that once crashed the process, made it do
/// unbounded work, or slipped past a check: each must now end in a clear answer.
@Suite("Hostile input is answered, never trapped on", .serialized)
struct HostileInputTests {
    /// Issue #11, finding 3: a figure with more decimals than last year's made the review page's
    /// percent change rescale an exact decimal downwards, which trapped and took the process down.
    @Test func reviewPageShowsTheChangeWhenThisYearHasMoreDecimalsThanLastYear() async throws {
        try await TestPlatform.run { app in
            var beijing = Client(app)
            try await beijing.login("beijing-data")
            let path = beijing.submissionPath("P2")
            let detail = try await beijing.send(.GET, path).json
            let last = detail["lastYear"] as! [String: [String: Any]]
            // A cell with a figure last year: this year the same figure with four more decimals.
            let (code, row) = try #require(last.sorted { $0.key < $1.key }.first { ($0.value["cur"] as? String).map { !$0.isEmpty } ?? false })
            let lastFigure = row["cur"] as! String
            let figure = (lastFigure.contains(".") ? lastFigure : lastFigure + ".") + "3456"
            let version = (detail["submission"] as! [String: Any])["version"] as! Int
            let body = #"{"version":\#(version),"values":{"\#(code)":{"cur":"\#(figure)"}}}"#
            let saved = try await beijing.send(.PUT, path, json: body)
            #expect(saved.status == .ok, "\(saved.text)")
            _ = try await beijing.send(.POST, path + "/submit", json: #"{"version":\#(version + 1)}"#)

            var reviewer = try await PagesTests.browserLogin(app, "review-beijing")
            let page = try await reviewer.send(.GET, "/review/units/\(beijing.unitID!)/2026/P2")
            #expect(page.status == .ok)
            #expect(page.text.contains(figure))
        }
    }

    // MARK: Strict JSON (finding 11)

    /// A repeated key was taken as the last one by Foundation and as the first one by the submission
    /// reader: the value checked and the value stored could differ. Now both refuse it.
    @Test func aRepeatedKeyOrALeadingZeroIsA400NamingTheKey() async throws {
        try await TestPlatform.run { app in
            var client = Client(app)
            try await client.login("beijing-data")
            let path = client.submissionPath("P2")
            let duplicate = try await client.send(.PUT, path, json: #"{"version":0,"values":{"01":{"cum":"1","cum":"900"}}}"#)
            #expect(duplicate.status == .badRequest)
            #expect(duplicate.errorCode == "duplicate_key")
            #expect(duplicate.errorMessage?.contains("values.01.cum") == true, "\(duplicate.text)")
            let leadingZero = try await client.send(.PUT, path, json: #"{"version":0,"values":{"01":{"cum":0100}}}"#)
            #expect(leadingZero.status == .badRequest)
            #expect(leadingZero.errorCode == "invalid_number")
            #expect(leadingZero.errorMessage?.contains("values.01.cum") == true)
            let version = try await client.send(.PUT, path, json: #"{"version":00,"values":{}}"#)
            #expect(version.errorCode == "invalid_number")
            // Nothing was stored by any of them.
            let detail = try await client.send(.GET, path).json
            #expect((detail["submission"] as? [String: Any])?["version"] as? Int == 0)

            // Bodies decoded by Vapor (here the login) go through the same strict reader.
            var other = Client(app)
            let login = try await other.send(.POST, "/api/v1/session", json: #"{"username":"beijing-data","password":"x","password":"demo2026"}"#)
            #expect(login.status == .badRequest)
            #expect(login.errorCode == "duplicate_key")
            #expect(login.errorMessage?.contains("password") == true)
            // And the review actions, which used to answer any decoding failure with one vague message.
            var reviewer = Client(app)
            try await reviewer.login("review-beijing")
            let returned = try await reviewer.send(.POST, path + "/return", json: #"{"version":1,"reason":"数据有误","reason":""}"#)
            #expect(returned.status == .badRequest)
            #expect(returned.errorCode == "duplicate_key")
            #expect(returned.errorMessage?.contains("reason") == true)
            let deep = try await client.send(.PUT, path, json: String(repeating: "[", count: 100_000))
            #expect(deep.status == .badRequest)
            #expect(deep.errorCode == "too_deep")
        }
    }

    // MARK: Formula injection (finding 9)

    /// Unit-level exports wrote text starting with = + - @ as it was, so a unit named
    /// `=HYPERLINK(…)` ran as a formula in the national office's spreadsheet.
    @Test func unitLevelExportsNeutraliseFormulasAndKeepNumbers() async throws {
        let head = (codes: ["name", "note", "value"], names: ["单位", "说明", "数值"])
        let rows: [[TableExport.Cell]] = [
            [.text(#"=HYPERLINK("http://evil.example","点击")"#), .text("+1+2"), .decimal(ExactDecimal(units: -125, scale: 1))],
            [.text("@SUM(A1:A9)"), .text("-2+3"), .decimal(ExactDecimal(units: 42, scale: 0))],
            [.text("\t=1"), .text("-12.5"), .integer(-3)],
        ]
        func export(_ format: String) async throws -> [UInt8] {
            var bytes: [UInt8] = []
            let box = Box()
            _ = try await SubmissionExport.write(format: format, title: "t", head: head, created: Date(timeIntervalSince1970: 0),
                                                 rows: { yield in try await yield(rows) }, emit: { box.bytes += $0 })
            bytes = box.bytes
            return bytes
        }
        let csv = String(decoding: try await export("csv"), as: UTF8.self)
        let lines = csv.split(separator: "\r\n").map(String.init)
        #expect(lines[2] == #""'=HYPERLINK(""http://evil.example"",""点击"")",'+1+2,-12.5"#)
        #expect(lines[3] == "'@SUM(A1:A9),'-2+3,42")
        #expect(lines[4] == "'\t=1,-12.5,-3", "a text that is a plain number stays as it is; numbers stay numbers")

        let sheet = try #require(try XLSXFile.read(try await export("xlsx")).sheets.first)
        #expect(sheet[3, 1] == .text(#"'=HYPERLINK("http://evil.example","点击")"#))
        #expect(sheet[3, 2] == .text("'+1+2"))
        #expect(sheet[3, 3] == .number("-12.5"), "a negative figure is still a number cell")
        #expect(sheet[4, 1] == .text("'@SUM(A1:A9)"))
        #expect(sheet[5, 3] == .number("-3"))
        #expect(!sheet.cells.values.contains { if case .formula = $0 { true } else { false } })
    }

    /// The same through the API: a unit registered as `=cmd|' /C calc'!A0` comes out inert.
    @Test func exportOfAUnitNamedLikeAFormulaIsInert() async throws {
        try await TestPlatform.run { app in
            var admin = Client(app), beijing = Client(app)
            try await admin.login("admin")
            try await beijing.login("beijing-data")
            let units = try await admin.send(.GET, "/api/v1/units").text
            let list = try JSONSerialization.jsonObject(with: Data(units.utf8))
            let all = (list as? [[String: Any]]) ?? ((list as? [String: Any])?["units"] as? [[String: Any]]) ?? []
            var unit = try #require(all.first { ($0["id"] as? String)?.lowercased() == beijing.unitID?.lowercased() })
            let hostile = "=cmd|' /C calc'!A0"
            unit["name"] = hostile
            let body = try JSONSerialization.data(withJSONObject: unit.filter { ["creditCode", "name", "regionCode", "address", "types", "stateOwned",
                                                                                 "internetPlatform", "telecomOperator", "parentCreditCode", "contact"].contains($0.key) && !($0.value is NSNull) })
            let renamed = try await admin.send(.PUT, "/api/v1/units/\(beijing.unitID!)", json: String(decoding: body, as: UTF8.self))
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect(try await beijing.send(.PUT, beijing.submissionPath("P2"), json: #"{"version":0,"values":{"01":{"cum":"100"}}}"#).status == .ok)
            let csv = try await admin.send(.GET, "/api/v1/export/submissions?year=2026&form=P2&format=csv")
            #expect(csv.status == .ok)
            #expect(csv.text.contains(",'=cmd|' /C calc'!A0,"), "\(csv.text.prefix(400))")
            #expect(!csv.text.contains(",=cmd"))
            #expect(csv.text.contains(",100,") || csv.text.contains(",100\r\n"), "the figure stays a number")
        }
    }

    // MARK: Bounded uploads (finding 7)

    /// A 1,000,000-line CSV once answered with 213 MB of errors. Now reading stops at the row limit
    /// and the answer lists the first 100 problems with the total count.
    @Test func aMillionLineCSVGetsASmallAnswer() async throws {
        try await TestPlatform.run { app in
            var client = Client(app)
            try await client.login("beijing-data")
            var text = "表号,指标代码,栏目,分组,数值\n"
            text.reserveCapacity(14_000_000)
            for _ in 0..<1_000_000 { text += "P2,01,cur,,1\n" }   // every line after the first repeats a cell
            let reply = try await client.send(.POST, client.submissionPath("P2") + "/upload?format=csv", raw: ByteBuffer(string: text))
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.text.utf8.count <= 1 << 20, "the answer is \(reply.text.utf8.count) bytes")
            let details = (reply.json["error"] as? [String: Any])?["details"] as? [String: Any]
            let problems = details?["problems"] as? [[String: Any]] ?? []
            #expect(problems.count == 100)
            #expect(problems.first?["code"] as? String == "too_many_rows", "the reason reading stopped comes first")
            #expect((details?["problemCount"] as? Int ?? 0) > 100)
            #expect(reply.errorMessage?.contains("仅列出前 100 处") == true, "\(reply.errorMessage ?? "")")
        }
    }

    @Test func uploadsBeyondTheByteFieldAndColumnLimitsAreRefusedWithTheReason() async throws {
        try await TestPlatform.run { app in
            var client = Client(app)
            try await client.login("beijing-data")
            let upload = client.submissionPath("P2") + "/upload?format=csv"
            let huge = ByteBuffer(repeating: UInt8(ascii: "1"), count: (20 << 20) + 1)
            let tooBig = try await client.send(.POST, upload, raw: huge)
            #expect(tooBig.status == .payloadTooLarge)
            #expect(tooBig.errorCode == "file_too_large")
            let wide = "表号,指标代码,栏目,分组,数值\n" + String(repeating: ",", count: 1_000_000) + "\n"
            let wideReply = try await client.send(.POST, upload, raw: ByteBuffer(string: wide))
            #expect(wideReply.status == .unprocessableEntity)
            #expect(wideReply.text.contains("too_many_fields"))
            let long = "表号,指标代码,栏目,分组,数值\nP2,01,cur,,\"" + String(repeating: "x", count: 1_000_000) + "\"\n"
            let longReply = try await client.send(.POST, upload, raw: ByteBuffer(string: long))
            #expect(longReply.status == .unprocessableEntity)
            #expect(longReply.text.contains("field_too_long"))
            #expect(longReply.text.utf8.count < 10_000)
        }
    }
}

/// Collects an export's chunks (the writer emits from one task at a time).
private final class Box: @unchecked Sendable {
    var bytes: [UInt8] = []
}

@testable import DRSServer
import Foundation
import Testing
import Vapor

/// The history page reads as a person would: names, not cell keys; 摘抄 labelled as the system's.
@Suite("Readable history", .serialized)
struct HistoryPageTests {
    @Test func carryOverIsTheSystemsAndCellsHaveNames() async throws {
        try await TestPlatform.run { app in
            var lab = Client(app)
            try await lab.login("lab")
            // The first save carries last year's 本年实际 as 上年同期 (what the form page sends after 摘抄).
            _ = try await fillAndSubmit(&lab, "P3")
            let unit = try #require(lab.unitID)

            // The API keeps its contract: the lines, with the carried ones written as the system's.
            let events = try #require(try await lab.send(.GET, lab.submissionPath("P3") + "/history").json["events"] as? [[String: Any]])
            let carried = events.filter { ($0["cell"] as? String)?.hasSuffix(":prev") == true }
            #expect(!carried.isEmpty)
            #expect(carried.allSatisfy { $0["username"] as? String == "system" && $0["detail"] as? String == "摘抄上年数据" })
            let typed = events.filter { ($0["cell"] as? String)?.hasSuffix(":cur") == true }
            #expect(!typed.isEmpty)
            #expect(typed.allSatisfy { $0["username"] as? String == "lab" && $0["detail"] as? String == "" })

            var page = try await PagesTests.browserLogin(app, "lab")
            let history = try await page.send(.GET, "/units/\(unit)/2026/P3/history")
            #expect(history.status == .ok)
            let text = history.text
            #expect(text.contains("数据生产总量[01] 本年实际"))
            #expect(text.contains("数据生产总量[01] 上年同期"))
            #expect(text.contains("摘抄上年数据（上年同期）"))
            #expect(text.contains("<span class=\"badge-system\">系统</span>"))
            #expect(text.contains("中关村实验室填报人"), "who: the display name")
            #expect(text.contains("填报人"), "and the role")
            #expect(text.contains(">提交<"), "the step named")
            for key in [":cum", ":cur", ":prev", "valueChanged", "statusChanged", "notStarted"] {
                #expect(!text.contains(key), "no internal key \(key) on the page")
            }
            // Figures as entered, with thousands separators.
            #expect(text.range(of: #"<td class="num">\d{1,3}(,\d{3})+(\.\d+)?</td>"#, options: .regularExpression) != nil)
        }
    }

    @Test func groupedKeepsTheDecimalsAsEntered() {
        #expect(ReviewDesk.grouped("1234567.50") == "1,234,567.50")
        #expect(ReviewDesk.grouped("-1000") == "-1,000")
        #expect(ReviewDesk.grouped("999") == "999")
        #expect(ReviewDesk.grouped("abc") == "abc")
    }
}

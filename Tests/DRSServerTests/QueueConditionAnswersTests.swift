import DRSCore
@testable import DRSServer
@testable import DRSStorage
import Fluent
import Foundation
import Testing

/// A queue page's checks read, for the page's units, the answers other forms' rows are asked by
/// (企业1表 Q10 for 企业5表): only those forms' answers, of that year, of those units. Without them a
/// stored check result's stamp would never match and its counts would be recomputed as if unanswered.
@Suite("A queue's answers that decide rows", .serialized)
struct QueueConditionAnswersTests {
    @Test func theDecidingAnswersOfThePagesUnitsOfThatYear() async throws {
        try await TestPlatform.run { app in
            let run = UUID().uuidString.prefix(8)
            func unit(_ letter: String) async throws -> UUID {
                let unit = SurveyUnit(creditCode: "\(letter)\(run)", name: "单位\(letter)", regionCode: "110000", types: ["dataTechEnterprise"])
                try await unit.create(on: app.db)
                return try unit.requireID()
            }
            func stored(_ owner: UUID, _ form: String, _ year: Int, _ answers: String) async throws {
                let submission = Submission(unitID: owner, formID: form, year: year)
                submission.answers = answers
                try await submission.create(on: app.db)
            }
            let (a, b, c, outside) = (try await unit("A"), try await unit("B"), try await unit("C"), try await unit("D"))
            try await stored(a, "E1", 2026, #"{"Q10":"1","Q11":"x"}"#)
            try await stored(a, "E1", 2025, #"{"Q10":"2"}"#)
            try await stored(a, "P1", 2026, #"{"101":"名称"}"#)
            try await stored(b, "E1", 2026, #"{"Q10":"2"}"#)
            try await stored(outside, "E1", 2026, #"{"Q10":"1"}"#)
            let store = app.platform.store(app.db)
            let deciding = try await ReviewQueue.conditionAnswers(store, app.platform, year: 2026, unitIDs: [a, b, c], formID: "E5")
            #expect(deciding.count == 2)
            #expect(deciding[a]?["E1"]?["Q10"] == .string("1"))
            #expect(deciding[a]?["P1"] == nil)
            #expect(deciding[b]?["E1"]?["Q10"] == .string("2"))
            #expect(deciding[c] == nil && deciding[outside] == nil)
            // What the check reads from them: 企业5表's rows asked by Q10.
            let e5 = try #require(app.platform.catalog.forms["E5"])
            #expect(e5.conditionAnswers(from: deciding[b] ?? [:]) == ["E1.Q10": "2"])
            // Every form in view: the deciding forms of all of them; a form that decides nothing, none.
            let all = try await ReviewQueue.conditionAnswers(store, app.platform, year: 2026, unitIDs: [a], formID: nil)
            #expect(all[a]?["E1"]?["Q10"] == .string("1"))
            #expect(try await ReviewQueue.conditionAnswers(store, app.platform, year: 2026, unitIDs: [a], formID: "P2").isEmpty)
            #expect(try await ReviewQueue.conditionAnswers(store, app.platform, year: 2026, unitIDs: [], formID: "E5").isEmpty)
        }
    }
}

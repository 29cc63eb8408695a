import DRSCore
@testable import DRSStorage
import Fluent
import Foundation
import Testing

/// The answers another form's rows depend on (企业1表 Q10 for 企业5表), read on every save of such a
/// form: on SQLite by a query with the forms listed, on PostgreSQL by a prepared statement with the
/// forms as one array. Both give the stored text of exactly the forms named, of that unit and year.
@Suite("A unit's answers read by form", .serialized)
struct AnswersReadTests {
    @Test func theAnswersOfTheFormsNamedOfThatUnitAndYear() async throws {
        try await TestPlatform.withSession { session in
            let run = UUID().uuidString.prefix(8)
            let unit = SurveyUnit(creditCode: "A\(run)", name: "回答单位", regionCode: "110000", types: ["dataTechEnterprise"])
            let other = SurveyUnit(creditCode: "B\(run)", name: "另一单位", regionCode: "110000", types: ["dataTechEnterprise"])
            try await unit.create(on: session.db)
            try await other.create(on: session.db)
            func stored(_ owner: SurveyUnit, _ form: String, _ year: Int, _ answers: String) async throws {
                let submission = Submission(unitID: try owner.requireID(), formID: form, year: year)
                submission.answers = answers
                try await submission.create(on: session.db)
            }
            try await stored(unit, "E1", 2026, #"{"Q10":"1"}"#)
            try await stored(unit, "P1", 2026, #"{"101":"名称"}"#)
            try await stored(unit, "E1", 2025, #"{"Q10":"2"}"#)
            try await stored(other, "E1", 2026, #"{"Q10":"2"}"#)
            let store = SubmissionStore(database: session.db, gate: nil)
            let id = try unit.requireID()
            #expect(try await store.answers(unitID: id, year: 2026, forms: ["E1"]) == ["E1": #"{"Q10":"1"}"#])
            #expect(try await store.answers(unitID: id, year: 2026, forms: ["E1", "P1", "X9"]) == ["E1": #"{"Q10":"1"}"#, "P1": #"{"101":"名称"}"#])
            #expect(try await store.answers(unitID: id, year: 2025, forms: ["E1", "P1"]) == ["E1": #"{"Q10":"2"}"#])
            #expect(try await store.answers(unitID: id, year: 2024, forms: ["E1"]) == [:])
            #expect(try await store.answers(unitID: id, year: 2026, forms: []) == [:])
            // Twice on the same connections: the prepared statement is reused, not prepared again.
            #expect(try await store.answers(unitID: id, year: 2026, forms: ["P1"]) == ["P1": #"{"101":"名称"}"#])
        }
    }
}

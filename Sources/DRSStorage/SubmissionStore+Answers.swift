import Foundation
import SQLKit

extension SubmissionStore {
    /// A unit's stored answers of `year` in the forms named (`form_id` → the answers' JSON text), for
    /// the rows another form asks by an answer (`UnitProfile.answers`). Only the two columns are read:
    /// a save of such a form reads this on every request, and the whole row (cells of both kinds,
    /// through the model) was most of that read's cost.
    public func answers(unitID: UUID, year: Int, forms: [String]) async throws -> [String: String] {
        guard !forms.isEmpty, let sql = database as? any SQLDatabase else { return [:] }
        let rows = try await sql.raw("""
            SELECT form_id, answers FROM submissions
            WHERE unit_id = \(bind: unitID) AND year = \(bind: year) AND form_id IN (\(SQLList(forms.map { SQLBind($0) })))
            """).all()
        var answers: [String: String] = [:]
        for row in rows { answers[try row.decode(column: "form_id", as: String.self)] = try row.decode(column: "answers", as: String.self) }
        return answers
    }
}

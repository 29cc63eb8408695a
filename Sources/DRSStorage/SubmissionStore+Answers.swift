import FluentPostgresDriver
import Foundation
import SQLKit

extension SubmissionStore {
    /// A unit's stored answers of `year` in the forms named (`form_id` → the answers' JSON text), for
    /// the rows another form asks by an answer (`UnitProfile.answers`). Only the two columns are read:
    /// a save of such a form reads this on every request, and the whole row (cells of both kinds,
    /// through the model) was most of that read's cost. On PostgreSQL by a statement each connection
    /// prepares once (planning it cost three times its execution).
    public func answers(unitID: UUID, year: Int, forms: [String]) async throws -> [String: String] {
        guard !forms.isEmpty else { return [:] }
        var answers: [String: String] = [:]
        if let postgres = database as? any PostgresDatabase {
            let rows = try await postgres.rows(of: AnswersOfForms(unitID: unitID, year: year, forms: forms), logger: database.logger)
            for (form, text) in rows { answers[form] = text }
            return answers
        }
        guard let sql = database as? any SQLDatabase else { return [:] }
        let rows = try await sql.raw("""
            SELECT form_id, answers FROM submissions
            WHERE unit_id = \(bind: unitID) AND year = \(bind: year) AND form_id IN (\(SQLList(forms.map { SQLBind($0) })))
            """).all()
        for row in rows { answers[try row.decode(column: "form_id", as: String.self)] = try row.decode(column: "answers", as: String.self) }
        return answers
    }

    /// The stored answers of many units in the forms and years named, the latest year first (within a
    /// year, in no set order): where 催报 looks up a batch of units' e-mail addresses in one statement.
    public func answers(unitIDs: [UUID], years: [Int], forms: [String]) async throws -> [(unitID: UUID, formID: String, year: Int, answers: String)] {
        guard !unitIDs.isEmpty, !years.isEmpty, !forms.isEmpty, let sql = database as? any SQLDatabase else { return [] }
        var found: [(unitID: UUID, formID: String, year: Int, answers: String)] = []
        for start in stride(from: 0, to: unitIDs.count, by: 1_000) {   // a statement's parameters are bounded
            let chunk = unitIDs[start..<min(start + 1_000, unitIDs.count)]
            let rows = try await sql.raw("""
                SELECT unit_id, form_id, year, answers FROM submissions
                WHERE unit_id IN (\(SQLList(chunk.map { SQLBind($0) }))) AND year IN (\(SQLList(years.map { SQLBind($0) })))
                AND form_id IN (\(SQLList(forms.map { SQLBind($0) })))
                """).all()
            found += try rows.map { row in
                (try row.decode(column: "unit_id", as: UUID.self), try row.decode(column: "form_id", as: String.self),
                 try row.decode(column: "year", as: Int.self), try row.decode(column: "answers", as: String.self))
            }
        }
        return found.sorted { $0.year > $1.year }
    }

    /// `answers(unitID:year:forms:)`'s statement on PostgreSQL: the forms as one array parameter, so
    /// one prepared text serves any number of them.
    struct AnswersOfForms: PostgresPreparedStatement {
        static let name = "drs_answers_of_forms"
        static let sql = "SELECT form_id, answers FROM submissions WHERE unit_id = $1 AND year = $2 AND form_id = ANY($3)"
        typealias Row = (String, String)
        var unitID: UUID
        var year: Int
        var forms: [String]

        func makeBindings() -> PostgresBindings {
            var binds = PostgresBindings(capacity: 3)
            binds.append(unitID)
            binds.append(year)
            binds.append(forms)
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}

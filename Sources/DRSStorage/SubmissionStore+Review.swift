import FluentKit
import Foundation

extension SubmissionStore {
    /// The cells changed since the submission was last returned (退回), worked out from the audit
    /// trail: for each cell edited after the return, the value it had then and the value it has now.
    /// Cells edited and changed back are left out. Empty when it was never returned.
    public func changesSinceReturn(_ submission: Submission) async throws -> [CellChange] {
        let events = try await history(id: try submission.requireID())
        guard let returned = events.lastIndex(where: { $0.kind == .statusChanged && $0.newValue == SubmissionStatus.returned.rawValue }) else {
            return []
        }
        var before: [String: String?] = [:]
        for event in events[(returned + 1)...] where event.kind == .valueChanged {
            guard let cell = event.cell, before[cell] == nil else { continue }
            before[cell] = .some(event.oldValue)
        }
        let now = Self.decode(submission.cells)
        return before.sorted { $0.key < $1.key }.compactMap { cell, old in
            guard !cell.hasPrefix("说明:"), cell != "answers" else { return nil }
            let new = now[cell]
            return old == new ? nil : CellChange(cell: cell, old: old, new: new)
        }
    }

    /// The submissions of a year, optionally of some units and forms, with their units.
    public func submissions(year: Int, unitIDs: [UUID]? = nil, formID: String? = nil) async throws -> [Submission] {
        func query() -> QueryBuilder<Submission> {
            let query = Submission.query(on: database).filter(\.$year == year)
            return formID.map { query.filter(\.$formID == $0) } ?? query
        }
        guard let unitIDs else { return try await query().all() }
        // Units in chunks: a statement's parameters are bounded (PostgreSQL: 65,535).
        var found: [Submission] = []
        for start in stride(from: 0, to: unitIDs.count, by: 5_000) {
            found += try await query().filter(\.$unit.$id ~~ Array(unitIDs[start..<min(start + 5_000, unitIDs.count)])).all()
        }
        return found
    }
}

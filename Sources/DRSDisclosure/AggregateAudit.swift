/// The attacker's audit of every table of a protected aggregate: what a release must pass before any
/// of it leaves the office (a release is refused when a single cell fails).
public struct AggregateAuditSummary: Sendable, Equatable {
    public var primary: Int
    public var secondary: Int
    /// Sensitive cells whose intruder interval is too narrow (a programme the solver could not answer
    /// leaves its cell's interval unknown: failing).
    public var cellsFailing: Int
    /// The first failures, for the error message (table slot, labels).
    public var failures: [String]

    public var passes: Bool { cellsFailing == 0 }
}

extension AggregateDisclosure {
    /// Audits every slot's table with `audit`'s solver.
    public func audit(_ audit: AttackerAudit) -> AggregateAuditSummary {
        var failing = 0
        var failures: [String] = []
        for slot in tables.keys.sorted() {
            guard let protected = tables[slot] else { continue }
            let report = audit.audit(protected.table, sensitivity: protected.sensitivity, suppressed: protected.suppressed)
            failing += report.failing
            for interval in report.intervals where interval.fails && failures.count < 5 {
                let cell = slot < cells.count ? cells[slot].description : String(slot)
                failures.append("\(cell) [\(protected.table.labels(of: interval.cell).joined(separator: ","))]")
            }
            failures += report.solverProblems.prefix(max(0, 5 - failures.count))
        }
        return AggregateAuditSummary(primary: primaryCount, secondary: secondaryCount, cellsFailing: failing, failures: failures)
    }
}

import DRSCore

extension NationGenerator {
    /// A generated submission as a submission file (docs/submission-format.md), with the unit's flags
    /// and, for year Y, last year's verified figures, so `drs validate` checks every rule including
    /// 上年同期 and year-over-year.
    public func document(_ submission: NationSubmission) -> JSONValue? {
        guard let form = form(submission.formID), units.indices.contains(submission.unitIndex) else { return nil }
        let unit = units[submission.unitIndex]
        var members: [(String, JSONValue)] = [
            ("form", .string(submission.formID)),
            ("year", .number(String(submission.year))),
            ("unit", .string(unit.creditCode)),
            ("flags", .array(unit.flags.map { .string($0) })),
            ("values", SubmissionTemplate.filledValues(form, submission.values)),
        ]
        if let last = lastYear(of: submission) { members.append(("lastYear", SubmissionTemplate.filledValues(form, last))) }
        return .object(members)
    }
}

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
        ]
        if form.form.kind == .basicInfo {
            members.append(("answers", .object(submission.answers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })))
        } else {
            members.append(("values", SubmissionTemplate.filledValues(form, submission.values)))
        }
        if let last = lastYear(of: submission) { members.append(("lastYear", SubmissionTemplate.filledValues(form, last))) }
        return .object(members)
    }
}

extension NationGenerator {
    /// The figures as storage keeps them: the same text as `SubmissionStore.encode(form.cellMap(values))`
    /// (a compact JSON object of decimal strings, keys in order), written directly — the loader's
    /// hot path, several times faster than building the map and a JSON value first.
    public func storedCells(_ submission: NationSubmission) -> String {
        guard let scaling = figures.scalings[submission.formID] else {
            return form(submission.formID).map { JSONValue.serializedTextObject($0.cellMap(submission.values)) } ?? "{}"
        }
        var out = "{"
        out.reserveCapacity(scaling.storedOrder.count * 24)
        for (slot, key) in scaling.storedOrder {
            guard let value = submission.values[slot] else { continue }
            if out.utf8.count > 1 { out += "," }
            out += "\"" + key + "\":\"" + value.description + "\""
        }
        return out + "}"
    }
}

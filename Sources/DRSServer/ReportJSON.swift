import DRSCore

// A form's checks written straight into the API's JSON tree (`Report`), for the answer that carries
// them on the hot path: a draft save's (four requests in five at the deadline).
//
// Every other body goes through a generated type, `JSONEncoder`, a re-parse and `RequiredNulls`
// (`APIBodyEncoding.json`). For a save's answer that pipeline was 5.9% of a saturated instance's CPU,
// nearly all of it the report's violations (docs/benchmarks.md (ag)). The tree here is the same tree,
// member for member and in the document's order: `ReportJSONTests` holds it to
// `APIBodyEncoding.json(report.body)` over reports of every shape, and the API's contract tests read
// the live answers against openapi.json.

extension CheckReport {
    /// The report as `APIBodyEncoding.json(body)` would give it.
    var json: JSONValue {
        .object([
            ("errors", .array(errors.map(\.json))),
            ("warnings", .array(warnings.map(\.json))),
            ("notes", .array(notes.map(\.json))),
            ("missing", .array(missing.map(\.json))),
            ("blocksSubmission", .bool(blocksSubmission)),
        ])
    }
}

extension Violation {
    /// `Violation` of the document: optional members only when they apply; `explanation` (null when
    /// unfilled) exactly when `needsExplanation` is.
    var json: JSONValue {
        var members: [(String, JSONValue)] = [("form", .string(form)), ("rule", .string(expression)), ("ruleId", .string(ruleID))]
        members.reserveCapacity(14)
        if let seed { members.append(("seed", .string(seed))) }
        members.append(("severity", .string(severity.rawValue)))
        members.append(("origin", .string(origin.rawValue)))
        members.append(("column", .string(column)))
        members.append(("columnName", .string(columnName)))
        if let member { members.append(("member", .string(member))) }
        if let memberName { members.append(("memberName", .string(memberName))) }
        members.append(("cells", .array(cells.map(\.json))))
        members.append(("message", .string(message)))
        if needsExplanation {
            members.append(("needsExplanation", .bool(true)))
            members.append(("explanation", explanation.map(JSONValue.string) ?? .null))
        }
        return .object(members)
    }
}

extension Violation.Cell {
    /// `ViolationCell`: `value` null when the cell is empty, `lastYear` only when true.
    var json: JSONValue {
        var members: [(String, JSONValue)] = [("code", .string(code)), ("column", .string(column))]
        if let member { members.append(("member", .string(member))) }
        members.append(("name", .string(name)))
        members.append(("value", value.map(JSONValue.string) ?? .null))
        if lastYear { members.append(("lastYear", .bool(true))) }
        return .object(members)
    }
}

extension MissingCell {
    /// `MissingCell` of the document.
    var json: JSONValue {
        var members: [(String, JSONValue)] = [("key", .string(key)), ("code", .string(code)), ("column", .string(column))]
        if let member { members.append(("member", .string(member))) }
        members.append(("name", .string(name)))
        members.append(("columnName", .string(columnName)))
        if let memberName { members.append(("memberName", .string(memberName))) }
        members.append(("message", .string(message)))
        return .object(members)
    }
}

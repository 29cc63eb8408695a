/// Blank submissions and the JSON form of check results, shared by the command line and the API.
public enum SubmissionTemplate {
    /// A blank submission of a form: every open cell present as null, ready to fill.
    public static func blank(_ form: CompiledForm, year: Int, unit: String = "") -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("form", .string(form.form.id)),
            ("year", .number(String(year))),
            ("unit", .string(unit)),
        ]
        switch form.form.kind {
        case .basicInfo:
            func blankItem(_ item: Item) -> JSONValue {
                if item.type == .group {
                    return .object((item.fields ?? []).map { ($0.key ?? $0.code, blankItem($0)) })
                }
                return item.type == .multipleChoice ? .array([]) : .null
            }
            members.append(("answers", .object(form.form.allItems.map { ($0.code, blankItem($0)) })))
        case .indicators, .grid:
            members.append(("values", values(form, { _ in .null })))
            members.append(("explanations", .object([])))
        }
        return .object(members)
    }

    /// The `values` object of a form, with each cell given by `cell`.
    public static func values(_ form: CompiledForm, _ cell: (Int) -> JSONValue) -> JSONValue {
        var rows: [(String, JSONValue)] = []
        for indicator in form.form.allIndicators {
            var columns: [(String, JSONValue)] = []
            for column in indicator.columns {
                if let members = form.layout.membersByRow[indicator.code] {
                    let cells: [(String, JSONValue)] = members.map { m in
                        (m, cell(form.layout.slot(code: indicator.code, column: column, member: m)!))
                    }
                    columns.append((column, .object(cells)))
                } else {
                    columns.append((column, cell(form.layout.slot(code: indicator.code, column: column)!)))
                }
            }
            rows.append((indicator.code, .object(columns)))
        }
        return .object(rows)
    }

    /// Figures of a submission as a `values` object, keeping only filled cells.
    public static func filledValues(_ form: CompiledForm, _ values: CellValues) -> JSONValue {
        var rows: [(String, JSONValue)] = []
        for indicator in form.form.allIndicators {
            var columns: [(String, JSONValue)] = []
            for column in indicator.columns {
                if let members = form.layout.membersByRow[indicator.code] {
                    let cells: [(String, JSONValue)] = members.compactMap { m in
                        form.layout.slot(code: indicator.code, column: column, member: m).flatMap { values[$0] }.map { (m, .string($0.description)) }
                    }
                    if !cells.isEmpty { columns.append((column, .object(cells))) }
                } else if let slot = form.layout.slot(code: indicator.code, column: column), let v = values[slot] {
                    columns.append((column, .string(v.description)))
                }
            }
            if !columns.isEmpty { rows.append((indicator.code, .object(columns))) }
        }
        return .object(rows)
    }
}

extension Violation {
    /// `{"form","rule","ruleId","seed","severity","column","columnName","member","cells","message",…}`
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("form", .string(form)),
            ("rule", .string(expression)),
            ("ruleId", .string(ruleID)),
        ]
        if let seed { members.append(("seed", .string(seed))) }
        members += [
            ("severity", .string(severity.rawValue)),
            ("origin", .string(origin.rawValue)),
            ("column", .string(column)),
            ("columnName", .string(columnName)),
        ]
        if let member { members.append(("member", .string(member))) }
        if let memberName { members.append(("memberName", .string(memberName))) }
        members.append(("cells", .array(cells.map { cell in
            var c: [(String, JSONValue)] = [("code", .string(cell.code)), ("column", .string(cell.column))]
            if let m = cell.member { c.append(("member", .string(m))) }
            c.append(("name", .string(cell.name)))
            c.append(("value", cell.value.map { .string($0) } ?? .null))
            if cell.lastYear { c.append(("lastYear", .bool(true))) }
            return .object(c)
        })))
        members.append(("message", .string(message)))
        if needsExplanation {
            members.append(("needsExplanation", .bool(true)))
            members.append(("explanation", explanation.map { .string($0) } ?? .null))
        }
        return .object(members)
    }
}

import DRSCore
import DRSWorkflow
import Foundation

/// The reviewer's desk: the figures of one submission as one table row per indicator (and per
/// member of a broken-down row), with this year's figure in every column, last year's verified
/// figure, the change, the checks that name the row and the filer's explanation. Built from the
/// same review detail the API returns, so the page shows nothing the API does not.
struct ReviewDesk {
    var form: CompiledForm
    /// This year's figures as the detail answers them: `{"01": {"cur": "…"}}`, members nested.
    var values: JSONValue
    /// Last year's verified figures, same shape (null when there are none).
    var lastYear: JSONValue
    /// The detail's `report`: `errors`, `warnings` and rounding `notes`, each with the cells it names.
    var report: JSONValue
    /// The filer's explanations by row code.
    var explanations: [String: String]
    /// Cells changed since the submission was last returned (`01:cur`, `01:cur@110000`).
    var changedSinceReturn: Set<String>

    struct Row: Encodable {
        var code: String
        var name: String
        var member: String
        var unit: String
        var isSubItem: Bool
        /// This year's figure per column of the form, in the form's column order.
        var values: [Figure]
        var lastYear: String
        var change: String
        /// "error", "warning" or "ok".
        var status: String
        var statusName: String
        var messages: [String]
        var explanation: String
        var failing: Bool
        var explained: Bool
        var changed: Bool
    }

    /// A figure shown with thousands separators, and as stored (for copying into a spreadsheet).
    struct Figure: Encodable {
        var text: String
        var raw: String
    }

    /// The column names, in the order of `Row.values`.
    var columnNames: [String] { form.form.columns.map { form.columnName($0) } }

    /// One row per indicator and member that has a figure this year or last year, or a check.
    func rows() -> [Row] {
        let messages = messagesByRow()
        var seen = Set<String>()
        var rows: [Row] = []
        for cell in form.layout.cells {
            let rowKey = Self.rowKey(cell.key.code, cell.key.member)
            guard seen.insert(rowKey).inserted else { continue }
            let row = row(cell, messages: messages[rowKey] ?? ([], [], []))
            let hasFigures = row.values.contains { !$0.raw.isEmpty } || !row.lastYear.isEmpty
            if hasFigures || row.failing || row.changed || !row.explanation.isEmpty { rows.append(row) }
        }
        return rows
    }

    private func row(_ cell: CellLayout.Cell, messages: (errors: [String], warnings: [String], notes: [String])) -> Row {
        let code = cell.key.code, member = cell.key.member
        let columns = form.form.columns
        let now = columns.map { Self.text(values, CellKey(code: code, column: $0, member: member)) }
        // Last year's verified 本年实际 of the row, against this year's 本年实际 (the year-over-year check's pair).
        let compared = CellKey(code: code, column: CarryOver.sourceColumn, member: member)
        let before = Self.text(lastYear, compared)
        let current = Self.text(values, compared)
        var change = ""
        if let a = try? NumberInput.parse(current), let b = try? NumberInput.parse(before), !b.isZero {
            change = ReviewPages.percentChange(a, b)
        }
        let changed = columns.contains { changedSinceReturn.contains(CellKey(code: code, column: $0, member: member).description) }
        // A rounding note (docs/rounding.md) is shown, never counted as failing.
        let status = !messages.errors.isEmpty ? "error" : (!messages.warnings.isEmpty ? "warning" : (!messages.notes.isEmpty ? "note" : "ok"))
        let explanation = explanations[code]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return Row(code: code, name: cell.name, member: cell.memberName ?? "", unit: cell.unit,
                   isSubItem: form.form.indicator(code)?.parent != nil, values: now.map { Figure(text: Self.grouped($0), raw: $0) },
                   lastYear: Self.grouped(before), change: change, status: status,
                   statusName: ["error": "错误", "warning": "提示", "note": "提醒"][status] ?? "通过",
                   messages: messages.errors + messages.warnings + messages.notes, explanation: explanation,
                   failing: status == "error" || status == "warning", explained: !explanation.isEmpty, changed: changed)
    }

    /// The messages of the checks, by the rows (and members) of this year's cells they name.
    private func messagesByRow() -> [String: (errors: [String], warnings: [String], notes: [String])] {
        var result: [String: (errors: [String], warnings: [String], notes: [String])] = [:]
        for severity in ["errors", "warnings", "notes"] {
            for violation in report[severity]?.arrayValue ?? [] {
                let message = violation["message"]?.stringValue ?? ""
                var rowKeys: [String] = []
                for cell in violation["cells"]?.arrayValue ?? [] where cell["lastYear"] != .bool(true) {
                    guard let code = cell["code"]?.stringValue else { continue }
                    let key = Self.rowKey(code, cell["member"]?.stringValue)
                    if !rowKeys.contains(key) { rowKeys.append(key) }
                }
                for key in rowKeys {
                    var entry = result[key] ?? ([], [], [])
                    switch severity {
                    case "errors": entry.errors.append(message)
                    case "warnings": entry.warnings.append(message)
                    default: entry.notes.append(message)
                    }
                    result[key] = entry
                }
            }
        }
        return result
    }

    static func rowKey(_ code: String, _ member: String?) -> String { member.map { "\(code)@\($0)" } ?? code }

    /// A cell's figure in the detail's nested shape, as text ("" when empty).
    static func text(_ json: JSONValue, _ key: CellKey) -> String {
        guard let column = json[key.code]?[key.column] else { return "" }
        let value = key.member.map { column[$0] } ?? column
        switch value {
        case .string(let s)?: return s
        case .number(let n)?: return n
        default: return ""
        }
    }

    /// A figure as entered, with thousands separators in its integer part (`1234567.50` → `1,234,567.50`);
    /// text that is not a plain decimal is shown as it is.
    static func grouped(_ text: String) -> String {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        var sign = ""
        if body.first == "-" { sign = "-"; body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let integer = parts.first, !integer.isEmpty, integer.allSatisfy({ $0.isASCII && $0.isNumber }),
              parts.count == 1 || parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return text }
        var digits = Array(integer)
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return sign + String(digits) + (parts.count > 1 ? "." + parts[1] : "")
    }
}

/// A submission as exchanged in files and over the API, read against the catalog.
///
/// ```json
/// {"form": "P2", "year": 2025, "unit": "91110000…",
///  "values": {"01": {"cum": "1200.5", "cur": "300", "prev": "250"},
///             "02": {"cur": {"110000": "5", "310000": "7"}}},          // a row broken down by members
///  "answers": {"109": "…", "Q05": {"day": "10", "month": "20", …}},   // basic-information forms
///  "explanations": {"01": "…"},
///  "flags": ["telecomOperator", "stateOwned", "internetPlatform"],
///  "lastYear": {"01": {"cur": "280"}}}                                 // last year's verified figures
/// ```
public struct SubmissionDocument: Sendable {
    public var formID: String
    public var year: Int
    public var unit: String?
    public var values: CellValues
    public var lastYear: CellValues?
    public var answers: [String: JSONValue]
    public var explanations: [String: String]
    public var profile: UnitProfile?

    public init(formID: String, year: Int, unit: String?, values: CellValues, lastYear: CellValues?, answers: [String: JSONValue],
                explanations: [String: String], profile: UnitProfile?) {
        self.formID = formID
        self.year = year
        self.unit = unit
        self.values = values
        self.lastYear = lastYear
        self.answers = answers
        self.explanations = explanations
        self.profile = profile
    }
}

/// Why a submission cannot be read at all (as opposed to figures that break a rule).
public struct InputProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where: `values.01.cum`, `form`, `(JSON)`.
    public var path: String
    public var code: String
    public var message: String

    public var description: String { "\(path)：\(message)" }

    public init(path: String, code: String, message: String) {
        self.path = path
        self.code = code
        self.message = message
    }
}

public enum SubmissionReader {
    /// Reads a submission text. Throws every problem found (not just the first) when unusable.
    public static func read(_ text: String, catalog: CompiledCatalog) throws(InputProblems) -> SubmissionDocument {
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch {
            throw InputProblems([InputProblem(path: "(JSON)", code: "malformed_json", message: error.description)])
        }
        return try read(json, catalog: catalog)
    }

    public static func read(_ json: JSONValue, catalog: CompiledCatalog) throws(InputProblems) -> SubmissionDocument {
        var problems: [InputProblem] = []
        guard let members = json.objectMembers else {
            throw InputProblems([InputProblem(path: "(JSON)", code: "not_an_object", message: "提交文件应为一个 JSON 对象，而不是\(json.kindName)")])
        }
        let known: Set<String> = ["form", "year", "unit", "values", "answers", "explanations", "flags", "lastYear", "version", "status"]
        for (key, _) in members where !known.contains(key) {
            problems.add(key, "unknown_key", "未知的字段「\(key)」（可用字段：form、year、unit、values、answers、explanations、flags、lastYear）")
        }
        guard let formID = json["form"]?.stringValue else {
            throw InputProblems(problems + [InputProblem(path: "form", code: "missing_form", message: "缺少表号字段 form")])
        }
        guard let form = catalog.form(formID) else {
            let ids = catalog.catalog.forms.map(\.id).joined(separator: "、")
            throw InputProblems(problems + [InputProblem(path: "form", code: "unknown_form", message: "未知的表「\(formID)」（本目录的表：\(ids)）")])
        }
        let year = readYear(json, catalog: catalog, problems: &problems)
        var unit: String?
        if let u = json["unit"] {
            if let s = u.stringValue { unit = s } else { problems.add("unit", "bad_unit", "unit 应为统一社会信用代码文本") }
        }
        var values = CellValues(count: form.layout.count)
        var lastYear: CellValues?
        var answers: [String: JSONValue] = [:]
        switch form.form.kind {
        case .basicInfo:
            if json["values"] != nil { problems.add("values", "values_on_basic_form", "基本情况表（\(formID)）的回答应写在 answers 中，而不是 values") }
            if let a = json["answers"] {
                BasicAnswers.read(a, form: form, into: &values, answers: &answers, problems: &problems)
            }
        case .indicators, .grid:
            if json["answers"] != nil { problems.add("answers", "answers_on_numeric_form", "\(formID) 不是基本情况表，数值应写在 values 中") }
            if let v = json["values"] {
                FigureReader(form: form, root: "values").read(v, into: &values, problems: &problems)
            }
            if let l = json["lastYear"] {
                var last = CellValues(count: form.layout.count)
                FigureReader(form: form, root: "lastYear").read(l, into: &last, problems: &problems)
                lastYear = last
            }
        }
        let explanations = readExplanations(json, form: form, problems: &problems)
        let profile = readFlags(json, problems: &problems)
        if !problems.isEmpty { throw InputProblems(problems) }
        return SubmissionDocument(formID: formID, year: year, unit: unit, values: values, lastYear: lastYear,
                                  answers: answers, explanations: explanations, profile: profile)
    }

    /// `year`: an integer (or integer text) the catalog's survey covers; 0 when it is not one.
    private static func readYear(_ json: JSONValue, catalog: CompiledCatalog, problems: inout [InputProblem]) -> Int {
        var year = 0
        switch json["year"] {
        case .number(let text)?:
            if let y = Int(text) { year = y } else { problems.add("year", "bad_year", "年份应为整数，而不是 \(text)") }
        case .string(let text)?:
            if let y = Int(text) { year = y } else { problems.add("year", "bad_year", "年份应为整数，而不是「\(text)」") }
        case nil: problems.add("year", "missing_year", "缺少调查年份字段 year（如 2025）")
        case let other?: problems.add("year", "bad_year", "年份应为整数，而不是\(other.kindName)")
        }
        let range = catalog.catalog.survey.reportingYears
        if year != 0, !range.contains(year) {
            problems.add("year", "year_not_covered", "\(year)年不在本目录（\(catalog.catalog.survey.edition)版制度）适用的调查年份 \(range.from)–\(range.to) 内")
        }
        return year
    }

    /// `explanations`: text by indicator code (on a numeric form, codes of its indicators).
    private static func readExplanations(_ json: JSONValue, form: CompiledForm, problems: inout [InputProblem]) -> [String: String] {
        var explanations: [String: String] = [:]
        guard let e = json["explanations"] else { return explanations }
        guard let entries = e.objectMembers else {
            problems.add("explanations", "bad_explanations", "explanations 应为对象：{\"指标代码\": \"说明\"}")
            return explanations
        }
        for (code, text) in entries {
            guard let s = text.stringValue else { problems.add("explanations.\(code)", "bad_explanation", "说明应为文本"); continue }
            if form.form.kind != .basicInfo, form.indicator(code) == nil {
                problems.add("explanations.\(code)", "unknown_code", "说明针对的指标代码「\(code)」在\(form.form.tableNumber)中不存在")
            }
            explanations[code] = s
        }
        return explanations
    }

    /// `flags`: the unit's profile, from an array of known flag names; nil without `flags`.
    private static func readFlags(_ json: JSONValue, problems: inout [InputProblem]) -> UnitProfile? {
        guard let f = json["flags"] else { return nil }
        guard case .array(let flags) = f else {
            problems.add("flags", "bad_flags", "flags 应为数组，如 [\"stateOwned\"]")
            return nil
        }
        var p = UnitProfile()
        for flag in flags {
            switch flag.stringValue {
            case "telecomOperator": p.telecomOperator = true
            case "stateOwned": p.stateOwned = true
            case "internetPlatform": p.internetPlatform = true
            default: problems.add("flags", "unknown_flag", "未知的单位标志「\(flag.stringValue ?? flag.kindName)」（可用：telecomOperator、stateOwned、internetPlatform）")
            }
        }
        return p
    }
}

private extension [InputProblem] {
    mutating func add(_ path: String, _ code: String, _ message: String) {
        append(InputProblem(path: path, code: code, message: message))
    }
}

/// Several input problems at once.
public struct InputProblems: Error, Sendable, CustomStringConvertible {
    public var problems: [InputProblem]
    public init(_ problems: [InputProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Reads the `values` object of an indicators or grid form into slots.
struct FigureReader {
    let form: CompiledForm
    let root: String

    func read(_ json: JSONValue, into values: inout CellValues, problems: inout [InputProblem]) {
        func problem(_ path: String, _ code: String, _ message: String) {
            problems.append(InputProblem(path: path, code: code, message: message))
        }
        guard let rows = json.objectMembers else {
            problem(root, "bad_values", "\(root) 应为对象：{\"指标代码\": {\"栏目\": 数值}}")
            return
        }
        // Paths are made only for a problem: a save reads every cell of the form, and most have none.
        for (code, columns) in rows {
            var path: String { "\(root).\(code)" }
            guard let indicator = form.indicator(code) else {
                let allCodes = form.form.allIndicators.map(\.code)
                let span = allCodes.first.flatMap { first in allCodes.last.map { "（\(form.form.tableNumber)的指标代码为 \(first)–\($0)）" } } ?? ""
                problem(path, "unknown_code", "未知的指标代码「\(code)」\(span)")
                continue
            }
            guard let columnMembers = columns.objectMembers else {
                problem(path, "bad_row", "指标\(code)（\(indicator.name)）应为对象：{\"cum\": 数值, \"cur\": 数值, …}")
                continue
            }
            let hasMembers = form.layout.membersByRow[code] != nil
            for (columnKey, cell) in columnMembers {
                var cellPath: String { "\(path).\(columnKey)" }
                guard let column = resolveColumn(columnKey) else {
                    problem(cellPath, "unknown_column", "未知的栏目「\(columnKey)」（栏目代码：cum 截至本年、cur 本年实际、prev 上年同期、next 下年预估）")
                    continue
                }
                guard indicator.columns.contains(column) else {
                    let open = indicator.columns.map { "\($0) \(form.columnName($0))" }.joined(separator: "、")
                    problem(cellPath, "closed_column", "指标\(code)（\(indicator.name)）没有「\(form.columnName(column))」栏（可填栏目：\(open)）")
                    continue
                }
                if hasMembers {
                    guard let memberValues = cell.objectMembers else {
                        if case .null = cell { continue }
                        problem(cellPath, "bad_breakdown", "指标\(code)（\(indicator.name)）按分组填报，应为对象：{\"分组代码\": 数值}")
                        continue
                    }
                    for (member, value) in memberValues {
                        guard let slot = form.layout.slot(code: code, column: column, member: member) else {
                            problem("\(cellPath).\(member)", "unknown_member", "指标\(code)没有分组「\(member)」")
                            continue
                        }
                        store(value, slot: slot, path: { "\(cellPath).\(member)" }, unit: indicator.unit, into: &values, problems: &problems)
                    }
                } else if let slot = form.layout.slot(code: code, column: column) {
                    store(cell, slot: slot, path: { cellPath }, unit: indicator.unit, into: &values, problems: &problems)
                }
            }
        }
    }

    func resolveColumn(_ key: String) -> ColumnID? {
        switch key {
        case "cum", "cur", "prev", "next": key
        case "截至本年": "cum"
        case "本年实际": "cur"
        case "上年同期": "prev"
        case "下年预估": "next"
        default: nil
        }
    }
}

/// Stores one JSON figure into a slot, or records why it cannot be read.
/// `path` is made only when there is a problem to report.
func store(_ json: JSONValue, slot: Int, path: () -> String, unit: String, into values: inout CellValues, problems: inout [InputProblem]) {
    let text: String
    switch json {
    case .null: values[slot] = nil; return
    case .number(let n): text = n
    case .string(let s): text = s
    default:
        problems.append(InputProblem(path: path(), code: "not_a_number", message: "应为数值（数字或文本），而不是\(json.kindName)"))
        return
    }
    do {
        values[slot] = try NumberInput.parse(text, allowPercentSign: unit == "%")
    } catch {
        problems.append(InputProblem(path: path(), code: error.code, message: error.message))
    }
}

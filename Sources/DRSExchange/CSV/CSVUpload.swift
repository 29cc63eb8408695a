import DRSCore

/// One form's figures as CSV, for machines (and spreadsheets): one line per cell.
///
/// ```
/// 表号,指标代码,栏目,分组,数值
/// 企业2表,01,本年实际,,"1,234.5"
/// 企业2表,02,本年实际,110000,1500
/// E2,02,cur,310000,800
/// 企业2表,11,说明,,新建数据中心投产
/// ```
///
/// - The first line names the columns; their order is free. Required: 表号 (or `form`), 指标代码
///   (`code`), 栏目 (`column`), 数值 (`value`); optional: 分组 (`member`), 年份 (`year`),
///   统一社会信用代码 (`unit`).
/// - 表号: `企业2表` or the form id `E2`; one form per file. 栏目: `截至本年` `本年实际` `上年同期`
///   `下年预估` or `cum` `cur` `prev` `next`; `说明` (`explanation`) puts the value into the row's
///   情况说明. 分组: the member code (`110000`, `A`, `000000`) or its name (`北京市`), empty for
///   rows without a breakdown.
/// - Basic-information forms (P1, E1): 指标代码 is the answer key (`109`, `105.regionCode`,
///   `Q05.day`), 栏目 and 分组 are empty, 数值 is the answer as typed in the template.
/// - 数值 as people type figures (`1,234.5` in quotes, full-width digits, `45%` in a % row); an empty
///   value is an empty cell. UTF-8, with or without a byte order mark; fields quoted as in RFC 4180.
///
/// Every line with a problem is reported (`第12行：…`); the file is usable only without any.
public enum CSVUpload {
    public typealias Result = UploadResult

    /// The header `csv(…)` writes.
    public static let header = ["表号", "指标代码", "栏目", "分组", "数值"]

    enum Role: String, CaseIterable {
        case form, code, column, member, value, year, unit

        var chineseName: String {
            switch self {
            case .form: "表号"
            case .code: "指标代码"
            case .column: "栏目"
            case .member: "分组"
            case .value: "数值"
            case .year: "年份"
            case .unit: "统一社会信用代码"
            }
        }

        static func named(_ name: String) -> Role? {
            let n = TypedInput.trimmed(name).lowercased()
            switch n {
            case "表号", "表", "form", "formid", "表号或form": return .form
            case "指标代码", "代码", "项目代码", "code": return .code
            case "栏目", "栏目代码", "column": return .column
            case "分组", "分组代码", "member": return .member
            case "数值", "值", "回答", "填报内容", "value": return .value
            case "年份", "调查年份", "year": return .year
            case "统一社会信用代码", "信用代码", "unit", "creditcode": return .unit
            default: return nil
            }
        }
    }

    // MARK: Reading

    /// Reads CSV bytes (UTF-8, a byte order mark is skipped).
    public static func read(bytes: [UInt8], catalog: CompiledCatalog,
                            expecting: (formID: String?, year: Int?, creditCode: String?) = (nil, nil, nil)) -> UploadResult {
        bytes.withUnsafeBufferPointer { read(buffer: $0, catalog: catalog, expecting: expecting) }
    }

    /// Reads CSV from any contiguous bytes (a request body as it arrived) without copying them.
    public static func read<Bytes: Collection>(contiguous body: Bytes, catalog: CompiledCatalog,
                                               expecting: (formID: String?, year: Int?, creditCode: String?) = (nil, nil, nil)) -> UploadResult
        where Bytes.Element == UInt8 {
        if let result = body.withContiguousStorageIfAvailable({ read(buffer: $0, catalog: catalog, expecting: expecting) }) { return result }
        return read(bytes: Array(body), catalog: catalog, expecting: expecting)
    }

    public static func read(_ text: String, catalog: CompiledCatalog,
                            expecting: (formID: String?, year: Int?, creditCode: String?) = (nil, nil, nil)) -> UploadResult {
        var text = text
        return text.withUTF8 { read(buffer: $0, catalog: catalog, expecting: expecting) }
    }

    /// Reads the file a record at a time (`CSVRecords`), within `UploadLimits`: at most
    /// `maximumFileBytes`, `maximumRows` lines, the first `maximumProblemsListed` problems kept and all counted.
    static func read(buffer: UnsafeBufferPointer<UInt8>, catalog: CompiledCatalog,
                     expecting: (formID: String?, year: Int?, creditCode: String?)) -> UploadResult {
        guard buffer.count <= UploadLimits.maximumFileBytes else {
            return .failed([UploadProblem(code: "file_too_large",
                                          message: "文件过大（\(buffer.count >> 20) MB），CSV 文件不能超过 \(UploadLimits.maximumFileBytes >> 20) MB")])
        }
        var reader = CSVRecords(buffer)
        let first: (line: Int, fields: [String])?
        do { first = try reader.next() } catch {
            return .failed([UploadProblem(line: error.line, code: error.code, message: error.message)])
        }
        guard let headerRecord = first else {
            return .failed([UploadProblem(code: "empty_file", message: "文件为空，应有表头行“\(header.joined(separator: ","))”和数据行")])
        }
        let position: [Role: Int]
        switch columnPositions(headerRecord) {
        case .success(let found): position = found
        case .failure(let problems): return .failed(problems.list)
        }
        var lines = CSVUploadLines(catalog: catalog, position: position, headerFieldCount: headerRecord.fields.count,
                                   expectedForm: expecting.formID.flatMap { $0.isEmpty ? nil : catalog.form($0) })
        var recordCount = 1
        while true {
            let next: (line: Int, fields: [String])?
            do { next = try reader.next() } catch {
                // The rest of the file cannot be read reliably: this problem alone says why.
                return .failed([UploadProblem(line: error.line, code: error.code, message: error.message)])
            }
            guard let record = next else { break }
            recordCount += 1
            if recordCount > UploadLimits.maximumRows {
                // Reading stopped at the row limit: said first, before the (capped) list of problems.
                let stoppedAt = UploadProblem(line: record.line, code: "too_many_rows",
                                              message: "文件超过\(UploadLimits.maximumRows)行，已停止读取：一张表的 CSV 每个单元格一行，不会这么长，请检查是否选错了文件")
                return UploadResult(submission: nil, problems: [stoppedAt] + lines.problems.kept, problemCount: lines.problems.total + 1)
            }
            lines.read(record)
        }
        return lines.result(expecting: expecting)
    }

    /// Problems with the header line (all of them), as an error to return them from a `Result`.
    struct HeaderProblems: Error {
        var list: ProblemList
    }

    /// The column of each role the header names; unknown, repeated and missing required columns are problems.
    static func columnPositions(_ headerRecord: (line: Int, fields: [String])) -> Swift.Result<[Role: Int], HeaderProblems> {
        var problems = ProblemList()
        func problem(_ code: String, _ message: String) {
            problems.append(UploadProblem(line: headerRecord.line, code: code, message: message))
        }
        var position: [Role: Int] = [:]
        for (index, name) in headerRecord.fields.enumerated() {
            guard let role = Role.named(name) else {
                problem("bad_header", "未知的列名「\(TypedInput.trimmed(name))」（可用：表号、指标代码、栏目、分组、数值、年份、统一社会信用代码）")
                continue
            }
            if position[role] != nil { problem("bad_header", "列名「\(role.chineseName)」重复") }
            position[role] = index
        }
        for role in [Role.form, .code, .column, .value] where position[role] == nil {
            problem("bad_header", "表头缺少“\(role.chineseName)”列（表头应为：\(header.joined(separator: ","))）")
        }
        return problems.isEmpty ? .success(position) : .failure(HeaderProblems(list: problems))
    }

    static func resolveForm(_ text: String, catalog: CompiledCatalog) -> CompiledForm? {
        if let f = catalog.form(text) { return f }
        if let f = catalog.catalog.forms.first(where: { $0.tableNumber == text }) { return catalog.form(f.id) }
        return catalog.catalog.forms.first { $0.id.lowercased() == text.lowercased() }.flatMap { catalog.form($0.id) }
    }

    /// The row of a code; `1` is read as `01` (a spreadsheet drops the zero).
    static func resolveIndicator(_ code: String, form: Form) -> Indicator? {
        if let i = form.indicator(code) { return i }
        if !code.isEmpty, code.count < 2, code.allSatisfy({ $0.isASCII && $0.isNumber }) { return form.indicator("0" + code) }
        return nil
    }

    static func resolveColumn(_ text: String, survey: Survey) -> ColumnID? {
        if let c = survey.columns.first(where: { $0.id == text || $0.name == text }) { return c.id }
        return nil
    }

    /// A member by code or name (`110000`, `北京市`, `A`).
    static func resolveMember(_ text: String, members: [String], form: CompiledForm, code: String) -> String? {
        if members.contains(text) { return text }
        if members.contains(text.uppercased()) { return text.uppercased() }
        for m in members {
            if let slot = form.layout.slot(code: code, column: form.form.indicator(code)?.columns.first ?? "", member: m),
               form.layout.cells[slot].memberName == text { return m }
        }
        return nil
    }

    // MARK: Writing

    /// The figures (or answers) of a submission as CSV in the format `read` takes: one line per
    /// filled cell in the form's order, then the 情况说明. Columns 年份 and 统一社会信用代码 are added
    /// when given. Lines end with CRLF (what spreadsheets write).
    public static func csv(form: CompiledForm, values: CellValues, answers: [String: JSONValue] = [:],
                           explanations: [String: String] = [:], year: Int? = nil, creditCode: String? = nil) -> String {
        var head = header
        if year != nil { head.append("年份") }
        if creditCode != nil { head.append("统一社会信用代码") }
        var lines = [head.map(quoted).joined(separator: ",")]
        func line(_ code: String, _ column: String, _ member: String, _ value: String) {
            var fields = [form.form.tableNumber, code, column, member, value]
            if let year { fields.append(String(year)) }
            if let creditCode { fields.append(creditCode) }
            lines.append(fields.map(quoted).joined(separator: ","))
        }
        switch form.form.kind {
        case .basicInfo:
            for field in AnswerField.all(form.form).flatMap(\.fields) {
                if field.item.isNumeric {
                    if let slot = form.layout.slot(code: field.path, column: "value"), let v = values[slot] {
                        line(field.path, "", "", v.description)
                    } else if let t = AnswerInput.lookup(field.path, in: answers).flatMap({ AnswerInput.text($0) }) {
                        line(field.path, "", "", t)
                    }
                } else if let t = AnswerInput.lookup(field.path, in: answers).flatMap({ AnswerInput.text($0) }), !t.isEmpty {
                    line(field.path, "", "", t)
                }
            }
        case .indicators, .grid:
            for (slot, cell) in form.layout.cells.enumerated() {
                guard let v = values[slot] else { continue }
                line(cell.key.code, form.columnName(cell.key.column), cell.key.member ?? "", v.description)
            }
            for indicator in form.form.allIndicators {
                if let e = explanations[indicator.code], !e.isEmpty { line(indicator.code, "说明", "", e) }
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    public static func quoted(_ field: String) -> String {
        if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || field.hasPrefix(" ") || field.hasSuffix(" ") {
            var escaped = ""
            for c in field {
                if c == "\"" { escaped += "\"\"" } else { escaped.append(c) }
            }
            return "\"" + escaped + "\""
        }
        return field
    }
}

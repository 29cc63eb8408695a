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
        var problems = ProblemList()
        func problem(_ line: Int?, _ code: String, _ message: String) {
            problems.append(UploadProblem(line: line, code: code, message: message))
        }
        var reader = CSVRecords(buffer)
        let first: (line: Int, fields: [String])?
        do { first = try reader.next() } catch {
            return .failed([UploadProblem(line: error.line, code: error.code, message: error.message)])
        }
        guard let headerRecord = first else {
            return .failed([UploadProblem(code: "empty_file", message: "文件为空，应有表头行“\(header.joined(separator: ","))”和数据行")])
        }
        // Header.
        var position: [Role: Int] = [:]
        for (index, name) in headerRecord.fields.enumerated() {
            guard let role = Role.named(name) else {
                problem(headerRecord.line, "bad_header", "未知的列名「\(TypedInput.trimmed(name))」（可用：表号、指标代码、栏目、分组、数值、年份、统一社会信用代码）")
                continue
            }
            if position[role] != nil { problem(headerRecord.line, "bad_header", "列名「\(role.chineseName)」重复") }
            position[role] = index
        }
        for role in [Role.form, .code, .column, .value] where position[role] == nil {
            problem(headerRecord.line, "bad_header", "表头缺少“\(role.chineseName)”列（表头应为：\(header.joined(separator: ","))）")
        }
        if !problems.isEmpty { return .failed(problems) }

        let survey = catalog.catalog.survey
        var form: CompiledForm?
        var formLine = 0
        var fileYear: (value: Int, line: Int)?
        var fileUnit: (value: String, line: Int)?
        var values: CellValues?
        var answerValues: [String: JSONValue] = [:]
        var explanations: [String: String] = [:]
        var seen: [String: Int] = [:]
        var dataLines = 0
        let expectedForm = expecting.formID.flatMap { $0.isEmpty ? nil : catalog.form($0) }

        var recordCount = 1
        // Reading stopped at the row limit: said first, before the (capped) list of problems.
        var stoppedAt: UploadProblem?
        while true {
            let next: (line: Int, fields: [String])?
            do { next = try reader.next() } catch {
                // The rest of the file cannot be read reliably: this problem alone says why.
                return .failed([UploadProblem(line: error.line, code: error.code, message: error.message)])
            }
            guard let record = next else { break }
            recordCount += 1
            if recordCount > UploadLimits.maximumRows {
                stoppedAt = UploadProblem(line: record.line, code: "too_many_rows",
                                          message: "文件超过\(UploadLimits.maximumRows)行，已停止读取：一张表的 CSV 每个单元格一行，不会这么长，请检查是否选错了文件")
                break
            }
            let line = record.line
            if record.fields.allSatisfy({ TypedInput.trimmed($0).isEmpty }) { continue }
            dataLines += 1
            guard record.fields.count == headerRecord.fields.count else {
                problem(line, "bad_line", "应有\(headerRecord.fields.count)列（与表头相同），实有\(record.fields.count)列；含逗号的数值请加英文双引号，如 \"1,234.5\"")
                continue
            }
            func field(_ role: Role) -> String { position[role].map { TypedInput.trimmed(record.fields[$0]) } ?? "" }

            // Form, year, unit.
            let formText = field(.form)
            guard let lineForm = resolveForm(formText, catalog: catalog) else {
                problem(line, formText.isEmpty ? "missing_form" : "unknown_form",
                        formText.isEmpty ? "缺少表号" : "未知的表号「\(formText)」（可用：\(catalog.catalog.forms.map(\.tableNumber).joined(separator: "、"))）")
                continue
            }
            if let expectedForm, expectedForm.form.id != lineForm.form.id {
                problem(line, "wrong_form", "这一行是\(lineForm.form.tableNumber)的数据，此处应上传\(expectedForm.form.tableNumber)")
                continue
            }
            if let form, form.form.id != lineForm.form.id {
                problem(line, "mixed_forms", "表号「\(formText)」与第\(formLine)行的\(form.form.tableNumber)不同：一个文件只能包含一张表")
                continue
            }
            if form == nil {
                form = lineForm
                formLine = line
                values = CellValues(count: lineForm.layout.count)
            }
            let yearText = field(.year)
            if !yearText.isEmpty {
                if let y = Int(NumberInput.normalizeWidth(yearText)) {
                    if let fileYear, fileYear.value != y {
                        problem(line, "mixed_years", "年份\(y)与第\(fileYear.line)行的\(fileYear.value)不同：一个文件只能包含一个年份")
                    } else if fileYear == nil {
                        fileYear = (y, line)
                    }
                } else {
                    problem(line, "bad_year", "年份「\(yearText)」应为四位整数，如 2025")
                }
            }
            let unitText = field(.unit)
            if !unitText.isEmpty {
                let u = TemplateUpload.normalizedCreditCode(unitText)
                if let fileUnit, fileUnit.value != u {
                    problem(line, "mixed_units", "统一社会信用代码 \(u) 与第\(fileUnit.line)行的 \(fileUnit.value) 不同：一个文件只能包含一个单位")
                } else if fileUnit == nil {
                    fileUnit = (u, line)
                }
            }
            let f = lineForm
            let code = field(.code), columnText = field(.column), memberText = field(.member)
            let valueText = position[.value].map { record.fields[$0] } ?? ""

            if f.form.kind == .basicInfo {
                let fields = AnswerField.all(f.form).flatMap(\.fields)
                guard let answerField = fields.first(where: { $0.path == code }) else {
                    if let group = f.form.item(code), group.type == .group {
                        let keys = fields.filter { $0.path.hasPrefix(code + ".") }.map(\.path).joined(separator: "、")
                        problem(line, "group_item", "项目\(code)（\(group.name)）按分项填写，指标代码应为 \(keys)")
                    } else {
                        problem(line, "unknown_code", "未知的项目代码「\(code)」（\(f.form.tableNumber)的项目：\(f.form.allItems.map(\.code).joined(separator: "、"))）")
                    }
                    continue
                }
                if !columnText.isEmpty, !["value", "回答", "填报内容", "数值"].contains(columnText) {
                    problem(line, "unknown_column", "\(f.form.tableNumber)是基本情况表，栏目应为空，而不是「\(columnText)」")
                    continue
                }
                if !memberText.isEmpty {
                    problem(line, "unknown_member", "\(f.form.tableNumber)是基本情况表，分组应为空，而不是「\(memberText)」")
                    continue
                }
                if let earlier = seen[code] {
                    problem(line, "duplicate", "项目 \(code) 与第\(earlier)行重复")
                    continue
                }
                seen[code] = line
                if answerField.item.isNumeric {
                    guard let slot = f.layout.slot(code: answerField.path, column: "value") else { continue }
                    do {
                        if let v = try FigureInput.parse(valueText, percent: answerField.item.type == .percentage,
                                                         allowNegative: answerField.item.allowNegative ?? false) {
                            values?[slot] = v
                            answerValues[answerField.path] = .string(v.description)
                        }
                    } catch {
                        problem(line, error.code, error.message)
                    }
                } else if let answer = AnswerInput.answer(valueText, item: answerField.item, isNumberCell: false,
                                                          codeLists: catalog.catalog.codeLists) {
                    answerValues[answerField.path] = answer
                }
                continue
            }

            // Indicators and grid forms.
            guard let indicator = resolveIndicator(code, form: f.form) else {
                let codes = f.form.allIndicators.map(\.code)
                let span = codes.first.flatMap { first in codes.last.map { "（\(f.form.tableNumber)的指标代码为 \(first)–\($0)）" } } ?? ""
                problem(line, code.isEmpty ? "missing_code" : "unknown_code", code.isEmpty ? "缺少指标代码" : "未知的指标代码「\(code)」\(span)")
                continue
            }
            let name = indicator.printedName ?? indicator.name
            if ["说明", "情况说明", "explanation"].contains(columnText) {
                if !memberText.isEmpty {
                    problem(line, "unknown_member", "情况说明按指标填写，分组应为空")
                    continue
                }
                let key = "\(indicator.code):explanation"
                if let earlier = seen[key] {
                    problem(line, "duplicate", "指标\(indicator.code)的情况说明与第\(earlier)行重复")
                    continue
                }
                seen[key] = line
                let t = TypedInput.trimmed(valueText)
                if !t.isEmpty { explanations[indicator.code] = t }
                continue
            }
            guard let column = resolveColumn(columnText, survey: survey) else {
                problem(line, columnText.isEmpty ? "missing_column" : "unknown_column",
                        (columnText.isEmpty ? "缺少栏目" : "未知的栏目「\(columnText)」") + "（栏目：cum 截至本年、cur 本年实际、prev 上年同期、next 下年预估，或“说明”）")
                continue
            }
            guard indicator.columns.contains(column) else {
                let open = indicator.columns.map { "\($0) \(f.columnName($0))" }.joined(separator: "、")
                problem(line, "closed_column", "指标\(indicator.code)（\(name)）没有“\(f.columnName(column))”栏（可填栏目：\(open)）")
                continue
            }
            var member: String?
            if let members = f.layout.membersByRow[indicator.code] {
                guard !memberText.isEmpty else {
                    problem(line, "missing_member", "指标\(indicator.code)（\(name)）按分组填报，应填写分组代码（如 \(members.prefix(2).joined(separator: "、"))）")
                    continue
                }
                guard let m = resolveMember(memberText, members: members, form: f, code: indicator.code) else {
                    problem(line, "unknown_member", "指标\(indicator.code)（\(name)）没有分组「\(memberText)」")
                    continue
                }
                member = m
            } else if !memberText.isEmpty {
                problem(line, "unknown_member", "指标\(indicator.code)（\(name)）不分组，分组应为空，而不是「\(memberText)」")
                continue
            }
            let key = CellKey(code: indicator.code, column: column, member: member)
            guard let slot = f.layout.slot(key) else {
                problem(line, "unknown_member", "单元格 \(key) 不存在")
                continue
            }
            if let earlier = seen[key.description] {
                problem(line, "duplicate", "单元格 \(key)（\(name)·\(f.columnName(column))）与第\(earlier)行重复")
                continue
            }
            seen[key.description] = line
            let cell = f.layout.cells[slot]
            do {
                values?[slot] = try FigureInput.parse(valueText, percent: cell.unit == "%", allowNegative: cell.allowNegative)
            } catch {
                problem(line, error.code, error.message)
            }
        }

        if let stoppedAt {
            return UploadResult(submission: nil, problems: [stoppedAt] + problems.kept, problemCount: problems.total + 1)
        }
        guard let form = form ?? expectedForm else {
            if problems.isEmpty { problem(nil, "empty_file", "文件中没有数据行") }
            return .failed(problems)
        }
        if dataLines == 0 && problems.isEmpty {
            problem(nil, "empty_file", "文件中没有数据行")
        }
        let year = fileYear?.value ?? expecting.year
        if let expected = expecting.year, let fileYear, expected != fileYear.value {
            problem(fileYear.line, "wrong_year", "年份\(fileYear.value)与本次上传的\(expected)年不符")
        } else if let year, !survey.reportingYears.contains(year) {
            problem(fileYear?.line, "year_not_covered",
                    "\(year)年不在\(survey.edition)版制度适用的调查年份 \(survey.reportingYears.from)–\(survey.reportingYears.to) 内")
        } else if year == nil {
            problem(nil, "missing_year", "文件未注明调查年份（可加“年份”列），上传时也未指定")
        }
        let expectedUnit = expecting.creditCode.map(TemplateUpload.normalizedCreditCode).flatMap { $0.isEmpty ? nil : $0 }
        if let expectedUnit, let fileUnit, expectedUnit != fileUnit.value {
            problem(fileUnit.line, "wrong_unit", "统一社会信用代码 \(fileUnit.value) 与当前单位 \(expectedUnit) 不符")
        }
        if !problems.isEmpty {
            let ordered = problems.kept.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
            return UploadResult(submission: nil, problems: ordered.map(\.element), problemCount: problems.total)
        }
        let answers = form.form.kind == .basicInfo ? AnswerField.assemble(answerValues, form: form.form) : [:]
        let submission = SubmissionDocument(formID: form.form.id, year: year ?? 0, unit: fileUnit?.value ?? expectedUnit,
                                            values: values ?? CellValues(count: form.layout.count), lastYear: nil, answers: answers,
                                            explanations: explanations, profile: nil)
        return UploadResult(submission: submission, problems: [])
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

import DRSCore

/// What `CSVUpload` has read so far from the data lines of one file, a line at a time: the form, year
/// and unit the file is about, the figures, answers and 情况说明, which cells were seen on which line,
/// and every problem found.
struct CSVUploadLines {
    typealias Record = (line: Int, fields: [String])

    let catalog: CompiledCatalog
    let survey: Survey
    /// The column of each role named in the header.
    let position: [CSVUpload.Role: Int]
    let headerFieldCount: Int
    let expectedForm: CompiledForm?

    private(set) var problems = ProblemList()
    private(set) var form: CompiledForm?
    private var formLine = 0
    private(set) var fileYear: (value: Int, line: Int)?
    private(set) var fileUnit: (value: String, line: Int)?
    private(set) var values: CellValues?
    private(set) var answerValues: [String: JSONValue] = [:]
    private(set) var explanations: [String: String] = [:]
    /// The line each cell, answer or 情况说明 was given on, to report duplicates.
    private var seen: [String: Int] = [:]
    private(set) var dataLines = 0

    init(catalog: CompiledCatalog, position: [CSVUpload.Role: Int], headerFieldCount: Int, expectedForm: CompiledForm?) {
        self.catalog = catalog
        self.survey = catalog.catalog.survey
        self.position = position
        self.headerFieldCount = headerFieldCount
        self.expectedForm = expectedForm
    }

    mutating func problem(_ line: Int?, _ code: String, _ message: String) {
        problems.append(UploadProblem(line: line, code: code, message: message))
    }

    /// One data line (blank lines are skipped); a line with a problem adds nothing but the problem.
    mutating func read(_ record: Record) {
        let line = record.line
        if record.fields.allSatisfy({ TypedInput.trimmed($0).isEmpty }) { return }
        dataLines += 1
        guard record.fields.count == headerFieldCount else {
            problem(line, "bad_line", "应有\(headerFieldCount)列（与表头相同），实有\(record.fields.count)列；含逗号的数值请加英文双引号，如 \"1,234.5\"")
            return
        }
        guard let lineForm = takeForm(record) else { return }
        noteYear(field(.year, of: record), line: line)
        noteUnit(field(.unit, of: record), line: line)
        if lineForm.form.kind == .basicInfo {
            readAnswer(record, form: lineForm)
        } else {
            readFigure(record, form: lineForm)
        }
    }

    /// A role's field, trimmed; empty when the header has no such column.
    private func field(_ role: CSVUpload.Role, of record: Record) -> String {
        position[role].map { TypedInput.trimmed(record.fields[$0]) } ?? ""
    }

    /// The value as typed (not trimmed: `FigureInput` and `AnswerInput` read it).
    private func valueText(of record: Record) -> String {
        position[.value].map { record.fields[$0] } ?? ""
    }

    /// The line's form: known, the one expected, the same as on every line before.
    private mutating func takeForm(_ record: Record) -> CompiledForm? {
        let line = record.line
        let formText = field(.form, of: record)
        guard let lineForm = CSVUpload.resolveForm(formText, catalog: catalog) else {
            problem(line, formText.isEmpty ? "missing_form" : "unknown_form",
                    formText.isEmpty ? "缺少表号" : "未知的表号「\(formText)」（可用：\(catalog.catalog.forms.map(\.tableNumber).joined(separator: "、"))）")
            return nil
        }
        if let expectedForm, expectedForm.form.id != lineForm.form.id {
            problem(line, "wrong_form", "这一行是\(lineForm.form.tableNumber)的数据，此处应上传\(expectedForm.form.tableNumber)")
            return nil
        }
        if let form, form.form.id != lineForm.form.id {
            problem(line, "mixed_forms", "表号「\(formText)」与第\(formLine)行的\(form.form.tableNumber)不同：一个文件只能包含一张表")
            return nil
        }
        if form == nil {
            form = lineForm
            formLine = line
            values = CellValues(count: lineForm.layout.count)
        }
        return lineForm
    }

    private mutating func noteYear(_ yearText: String, line: Int) {
        guard !yearText.isEmpty else { return }
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

    private mutating func noteUnit(_ unitText: String, line: Int) {
        guard !unitText.isEmpty else { return }
        let u = TemplateUpload.normalizedCreditCode(unitText)
        if let fileUnit, fileUnit.value != u {
            problem(line, "mixed_units", "统一社会信用代码 \(u) 与第\(fileUnit.line)行的 \(fileUnit.value) 不同：一个文件只能包含一个单位")
        } else if fileUnit == nil {
            fileUnit = (u, line)
        }
    }

    // MARK: Basic-information forms

    /// A line of a basic-information form: 指标代码 is the answer key, 栏目 and 分组 are empty.
    private mutating func readAnswer(_ record: Record, form f: CompiledForm) {
        let line = record.line
        let code = field(.code, of: record), columnText = field(.column, of: record), memberText = field(.member, of: record)
        guard let answerField = answerField(code, form: f, line: line) else { return }
        if !columnText.isEmpty, !["value", "回答", "填报内容", "数值"].contains(columnText) {
            problem(line, "unknown_column", "\(f.form.tableNumber)是基本情况表，栏目应为空，而不是「\(columnText)」")
            return
        }
        if !memberText.isEmpty {
            problem(line, "unknown_member", "\(f.form.tableNumber)是基本情况表，分组应为空，而不是「\(memberText)」")
            return
        }
        if let earlier = seen[code] {
            problem(line, "duplicate", "项目 \(code) 与第\(earlier)行重复")
            return
        }
        seen[code] = line
        let valueText = valueText(of: record)
        if answerField.item.isNumeric {
            guard let slot = f.layout.slot(code: answerField.path, column: "value") else { return }
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
    }

    /// The answer a key names; a group's own code is refused with the keys of its parts.
    private mutating func answerField(_ code: String, form f: CompiledForm, line: Int) -> AnswerField? {
        let fields = AnswerField.all(f.form).flatMap(\.fields)
        if let answerField = fields.first(where: { $0.path == code }) { return answerField }
        if let group = f.form.item(code), group.type == .group {
            let keys = fields.filter { $0.path.hasPrefix(code + ".") }.map(\.path).joined(separator: "、")
            problem(line, "group_item", "项目\(code)（\(group.name)）按分项填写，指标代码应为 \(keys)")
        } else {
            problem(line, "unknown_code", "未知的项目代码「\(code)」（\(f.form.tableNumber)的项目：\(f.form.allItems.map(\.code).joined(separator: "、"))）")
        }
        return nil
    }

    // MARK: Indicators and grid forms

    /// A line of an indicators or grid form: one cell's figure, or an indicator's 情况说明.
    private mutating func readFigure(_ record: Record, form f: CompiledForm) {
        let line = record.line
        let code = field(.code, of: record), columnText = field(.column, of: record), memberText = field(.member, of: record)
        guard let indicator = CSVUpload.resolveIndicator(code, form: f.form) else {
            let codes = f.form.allIndicators.map(\.code)
            let span = codes.first.flatMap { first in codes.last.map { "（\(f.form.tableNumber)的指标代码为 \(first)–\($0)）" } } ?? ""
            problem(line, code.isEmpty ? "missing_code" : "unknown_code", code.isEmpty ? "缺少指标代码" : "未知的指标代码「\(code)」\(span)")
            return
        }
        if ["说明", "情况说明", "explanation"].contains(columnText) {
            readExplanation(record, indicator: indicator, memberText: memberText)
            return
        }
        guard let (key, slot) = cell(indicator, columnText: columnText, memberText: memberText, form: f, line: line) else { return }
        let name = indicator.printedName ?? indicator.name
        if let earlier = seen[key.description] {
            problem(line, "duplicate", "单元格 \(key)（\(name)·\(f.columnName(key.column))）与第\(earlier)行重复")
            return
        }
        seen[key.description] = line
        let cell = f.layout.cells[slot]
        let valueText = valueText(of: record)
        do {
            values?[slot] = try FigureInput.parse(valueText, percent: cell.unit == "%", allowNegative: cell.allowNegative)
        } catch {
            problem(line, error.code, error.message)
        }
    }

    private mutating func readExplanation(_ record: Record, indicator: Indicator, memberText: String) {
        let line = record.line
        if !memberText.isEmpty {
            problem(line, "unknown_member", "情况说明按指标填写，分组应为空")
            return
        }
        let key = "\(indicator.code):explanation"
        if let earlier = seen[key] {
            problem(line, "duplicate", "指标\(indicator.code)的情况说明与第\(earlier)行重复")
            return
        }
        seen[key] = line
        let t = TypedInput.trimmed(valueText(of: record))
        if !t.isEmpty { explanations[indicator.code] = t }
    }

    /// The cell a line names and its slot: an open column of the indicator, and a member exactly when it is broken
    /// down. A cell missing from the layout is reported here too (nil then).
    private mutating func cell(_ indicator: Indicator, columnText: String, memberText: String, form f: CompiledForm,
                               line: Int) -> (key: CellKey, slot: Int)? {
        let name = indicator.printedName ?? indicator.name
        guard let column = CSVUpload.resolveColumn(columnText, survey: survey) else {
            problem(line, columnText.isEmpty ? "missing_column" : "unknown_column",
                    (columnText.isEmpty ? "缺少栏目" : "未知的栏目「\(columnText)」") + "（栏目：cum 截至本年、cur 本年实际、prev 上年同期、next 下年预估，或“说明”）")
            return nil
        }
        guard indicator.columns.contains(column) else {
            let open = indicator.columns.map { "\($0) \(f.columnName($0))" }.joined(separator: "、")
            problem(line, "closed_column", "指标\(indicator.code)（\(name)）没有“\(f.columnName(column))”栏（可填栏目：\(open)）")
            return nil
        }
        var member: String?
        if let members = f.layout.membersByRow[indicator.code] {
            guard !memberText.isEmpty else {
                problem(line, "missing_member", "指标\(indicator.code)（\(name)）按分组填报，应填写分组代码（如 \(members.prefix(2).joined(separator: "、"))）")
                return nil
            }
            guard let m = CSVUpload.resolveMember(memberText, members: members, form: f, code: indicator.code) else {
                problem(line, "unknown_member", "指标\(indicator.code)（\(name)）没有分组「\(memberText)」")
                return nil
            }
            member = m
        } else if !memberText.isEmpty {
            problem(line, "unknown_member", "指标\(indicator.code)（\(name)）不分组，分组应为空，而不是「\(memberText)」")
            return nil
        }
        let key = CellKey(code: indicator.code, column: column, member: member)
        guard let slot = f.layout.slot(key) else {
            problem(line, "unknown_member", "单元格 \(key) 不存在")
            return nil
        }
        return (key, slot)
    }

    // MARK: The end of the file

    /// The submission when nothing at all is wrong, else the problems in line order: the year and unit
    /// are checked against what the upload expects, and a file without data lines is a problem.
    mutating func result(expecting: (formID: String?, year: Int?, creditCode: String?)) -> UploadResult {
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
}

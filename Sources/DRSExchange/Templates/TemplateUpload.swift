import DRSCore
import XLSXReader
import XLSXWriter

/// Reads a filled template (as `XLSXReader` returns it) back into a submission.
///
/// The file is usable only when nothing at all is wrong; otherwise every problem is listed with its
/// sheet, cell and a Chinese reason (`Sheet 企业2表 单元格 F14：「12,3a」不是数字`). In order:
/// 1. the `_drs` markers: present and readable, this format version, the expected form, this
///    catalog edition, the same layout as the form has in this catalog, the expected year and unit;
/// 2. the form's sheet is there, and every 代码 cell and column head still holds what it held (rows
///    or columns were not moved, inserted or deleted);
/// 3. no merged range covers an input cell; every input cell holds a number (figures: exact decimal
///    text through `NumberInput`, never a Double; no formula, no date, no negative where the row
///    forbids it) or an answer; every grey cell is empty.
///
/// Rule checks are not done here: the caller runs the engine on the submission.
public enum TemplateUpload {
    public typealias Result = UploadResult
    /// Moved rows or columns are reported up to this many cells (then one line counting the rest).
    public static let maximumLayoutProblems = 10

    /// What the markers of a workbook say (form, edition, year, unit), or nil when it has none that can
    /// be read: to route an upload before reading it.
    public static func identify(_ document: XLSXDocument) -> TemplateInfo? {
        try? MarkerSheet.read(document).info
    }

    public static func read(_ document: XLSXDocument, catalog: CompiledCatalog,
                            expecting: (formID: String?, year: Int?, creditCode: String?) = (nil, nil, nil)) -> UploadResult {
        do throws(Rejection) {
            // 1. Markers and identity.
            let (info, markers) = try readMarkers(document)
            let (form, layout) = try checkedForm(info, markers: markers, catalog: catalog, expecting: expecting.formID)
            let (year, unit) = try checkedYearAndUnit(info, survey: catalog.catalog.survey, expecting: expecting)
            // 2. The sheet and its layout.
            let sheet = try checkedSheet(document, layout: layout, template: info)
            // 3. Merges, input cells, grey cells.
            var cells = TemplateCells(form: form, sheet: sheet, codeLists: catalog.catalog.codeLists, date1904: document.date1904)
            cells.read(layout)
            let problems = mergeProblems(sheet, layout: layout) + cells.problems
            if !problems.isEmpty { return .failed(problems, template: info) }

            let answers = form.form.kind == .basicInfo ? AnswerField.assemble(cells.answerValues, form: form.form) : [:]
            let submission = SubmissionDocument(formID: form.form.id, year: year ?? 0, unit: unit, values: cells.values,
                                                lastYear: nil, answers: answers, explanations: cells.explanations, profile: nil)
            return UploadResult(submission: submission, problems: [], template: info)
        } catch {
            return .failed(error.problems, template: error.template)
        }
    }

    /// Why a file cannot be read further: the problems to list, and what its markers said when they could be read.
    private struct Rejection: Error {
        var problems: [UploadProblem]
        var template: TemplateInfo?
    }

    private static func readMarkers(_ document: XLSXDocument) throws(Rejection) -> (info: TemplateInfo, markers: [TemplateMarker]) {
        do {
            return try MarkerSheet.read(document)
        } catch {
            switch error {
            case .missing:
                throw Rejection(problems: [UploadProblem(code: "not_a_template",
                                                         message: "不是本平台下载的模板，或已被改动到无法识别（缺少隐藏的识别信息工作表“\(MarkerSheet.name)”），请重新下载模板")])
            case .unreadable(let why):
                throw Rejection(problems: [UploadProblem(sheet: MarkerSheet.name, code: "not_a_template",
                                                         message: "不是本平台下载的模板，或已被改动到无法识别（识别信息\(why)），请重新下载模板")])
            case .unsupportedFormat(let version):
                throw Rejection(problems: [UploadProblem(sheet: MarkerSheet.name, code: "unsupported_format",
                                                         message: "模板格式版本“\(version)”不受本平台支持（应为 \(MarkerSheet.formatVersion)），请重新下载模板")])
            }
        }
    }

    /// The form the markers name, when it is this edition's, the expected one, and laid out as the
    /// markers (unaltered) say.
    private static func checkedForm(_ info: TemplateInfo, markers: [TemplateMarker], catalog: CompiledCatalog,
                                    expecting expectedFormID: String?) throws(Rejection) -> (form: CompiledForm, layout: TemplateLayout) {
        let edition = catalog.catalog.survey.edition
        func tableName(_ id: String) -> String { catalog.form(id)?.form.tableNumber ?? id }
        var identity: [UploadProblem] = []
        if info.edition != edition {
            identity.append(UploadProblem(code: "other_edition",
                                          message: "模板属于\(info.edition)版调查制度的目录，本平台现用\(edition)版，表式可能已变化，请重新下载模板"))
        }
        if let expected = expectedFormID, !expected.isEmpty, expected != info.formID {
            identity.append(UploadProblem(code: "wrong_form", message: "这是\(tableName(info.formID))的模板，此处应上传\(tableName(expected))"))
        }
        if !identity.isEmpty { throw Rejection(problems: identity, template: info) }
        guard let form = catalog.form(info.formID) else {
            throw Rejection(problems: [UploadProblem(sheet: MarkerSheet.name, code: "not_a_template",
                                                     message: "不是本平台下载的模板，或已被改动到无法识别（表「\(info.formID)」不在\(edition)版目录中），请重新下载模板")],
                            template: info)
        }
        if MarkerSheet.fingerprint(markers) != info.layout {
            throw Rejection(problems: [UploadProblem(sheet: MarkerSheet.name, code: "markers_altered",
                                                     message: "不是本平台下载的模板，或已被改动到无法识别（隐藏的识别信息被改动），请重新下载模板")],
                            template: info)
        }
        let layout = TemplateLayout(form: form, catalog: catalog)
        if MarkerSheet.fingerprint(layout.markers) != info.layout {
            throw Rejection(problems: [UploadProblem(code: "layout_changed",
                                                     message: "模板的表式与\(edition)版目录中的\(form.form.tableNumber)不一致（目录或模板版式已更新），请重新下载模板")],
                            template: info)
        }
        return (form, layout)
    }

    /// The year (the template's, else the expected one) and unit (likewise) of the submission, when
    /// they agree with what the upload expects and the year is one the survey covers.
    private static func checkedYearAndUnit(_ info: TemplateInfo, survey: Survey,
                                           expecting: (formID: String?, year: Int?, creditCode: String?)) throws(Rejection) -> (year: Int?, unit: String?) {
        var identity: [UploadProblem] = []
        if let expected = expecting.year, let year = info.year, expected != year {
            identity.append(UploadProblem(code: "wrong_year", message: "这是\(year)年的模板，此处应上传\(expected)年的数据"))
        }
        let year = info.year ?? expecting.year
        if let year, !survey.reportingYears.contains(year) {
            identity.append(UploadProblem(code: "year_not_covered",
                                          message: "\(year)年不在\(survey.edition)版制度适用的调查年份 \(survey.reportingYears.from)–\(survey.reportingYears.to) 内"))
        } else if year == nil {
            identity.append(UploadProblem(code: "missing_year", message: "模板未注明调查年份，无法确定数据所属的年份，请下载注明年份的模板"))
        }
        let templateUnit = info.creditCode.map(normalizedCreditCode)
        let expectedUnit = expecting.creditCode.map(normalizedCreditCode).flatMap { $0.isEmpty ? nil : $0 }
        if let templateUnit, let expectedUnit, templateUnit != expectedUnit {
            identity.append(UploadProblem(code: "wrong_unit",
                                          message: "这是统一社会信用代码为 \(templateUnit) 的单位的模板，当前单位为 \(expectedUnit)，请下载本单位的模板"))
        }
        if !identity.isEmpty { throw Rejection(problems: identity, template: info) }
        return (year, templateUnit ?? expectedUnit)
    }

    /// The form's sheet, when every 代码 cell and column head still holds what it held.
    private static func checkedSheet(_ document: XLSXDocument, layout: TemplateLayout, template info: TemplateInfo) throws(Rejection) -> XLSXSheet {
        guard let sheet = document.sheet(named: layout.sheetName) else {
            throw Rejection(problems: [UploadProblem(sheet: layout.sheetName, code: "sheet_missing",
                                                     message: "找不到工作表“\(layout.sheetName)”（可能被改名或删除），请恢复原名或重新下载模板")],
                            template: info)
        }
        var layoutProblems: [UploadProblem] = []
        for (marker, position) in layout.anchors {
            let found = sheet[position.row, position.column]
            if anchorMatches(found, marker.expected) { continue }
            let what: String, moved: String
            if marker.kind == .row {
                what = "“\(marker.label)”的代码“\(marker.expected)”"
                moved = "表格的行被移动、插入或删除"
            } else {
                what = "表头“\(marker.expected)”"
                moved = "表格的列被移动、插入或删除，或表头被改动"
            }
            layoutProblems.append(UploadProblem(sheet: sheet.name, cell: marker.address,
                                                code: marker.kind == .row ? "row_moved" : "column_moved",
                                                message: "此处应为\(what)，现为\(shown(found, date1904: document.date1904))：\(moved)，请恢复原样或重新下载模板",
                                                subject: marker.label))
        }
        if !layoutProblems.isEmpty {
            let extra = layoutProblems.count - maximumLayoutProblems
            if extra > 0 {
                layoutProblems = Array(layoutProblems.prefix(maximumLayoutProblems))
                layoutProblems.append(UploadProblem(sheet: sheet.name, code: "layout_moved_more",
                                                    message: "另有 \(extra) 处代码或表头与模板不符"))
            }
            throw Rejection(problems: layoutProblems, template: info)
        }
        return sheet
    }

    /// A merged range may not cover an input cell.
    private static func mergeProblems(_ sheet: XLSXSheet, layout: TemplateLayout) -> [UploadProblem] {
        var problems: [UploadProblem] = []
        for merge in sheet.merges {
            let rows = min(merge.first.row, merge.last.row)...max(merge.first.row, merge.last.row)
            let columns = min(merge.first.column, merge.last.column)...max(merge.first.column, merge.last.column)
            let covered = layout.inputs.filter { rows.contains($0.position.row) && columns.contains($0.position.column) }
            guard !covered.isEmpty else { continue }
            let first = CellAddress(row: rows.lowerBound, column: columns.lowerBound)
            let last = CellAddress(row: rows.upperBound, column: columns.upperBound)
            let range = first == last ? first.description : "\(first):\(last)"
            let listed = covered.prefix(3).map(\.marker.address).joined(separator: "、") + (covered.count > 3 ? "等\(covered.count)个" : "")
            problems.append(UploadProblem(sheet: sheet.name, cell: range, code: "merged",
                                          message: "合并单元格 \(range) 覆盖了填报单元格 \(listed)，请取消合并后重新填写",
                                          subject: covered.first?.marker.label))
        }
        return problems
    }

    // MARK: Cells

    struct CellProblem: Error {
        var code: String
        var message: String
    }

    /// A figure cell: empty, or an exact decimal.
    static func figure(_ value: XLSXCellValue?, percent: Bool, allowNegative: Bool, date1904: Bool = false) -> Swift.Result<ExactDecimal?, CellProblem> {
        let text: String
        switch value {
        case nil: return .success(nil)
        case .text(let s)?: text = s
        case .number(let s)?: text = TypedInput.excelNumberText(s)
        case .date(let s)?:
            let shown = TypedInput.dateText(fromSerial: s, date1904: date1904).map { "显示为 \($0)" } ?? "日期 \(s)"
            return .failure(CellProblem(code: "date", message: "是日期格式（\(shown)），不是数值：请把单元格格式改为“常规”或“数值”后重新输入"))
        case .formula(let f, _)?:
            return .failure(formulaProblem(f))
        case .boolean(let b)?:
            return .failure(CellProblem(code: "not_a_number", message: NumberInput.Problem.notANumber(b ? "TRUE" : "FALSE").message))
        case .error(let e)?:
            return .failure(CellProblem(code: "error_value", message: "是错误值 \(e)，不是数字"))
        }
        do {
            return .success(try FigureInput.parse(text, percent: percent, allowNegative: allowNegative))
        } catch {
            return .failure(CellProblem(code: error.code, message: error.message))
        }
    }

    static func formulaProblem(_ formula: String) -> CellProblem {
        CellProblem(code: "formula", message: "是公式，请复制后“选择性粘贴为数值”（公式：\(TypedInput.formulaText(formula))）")
    }

    /// An answer cell of a basic-information form.
    static func answer(_ value: XLSXCellValue?, item: Item, codeLists: [String: CodeList], date1904: Bool = false) -> Swift.Result<JSONValue?, CellProblem> {
        switch value {
        case nil: return .success(nil)
        case .text(let s)?: return .success(AnswerInput.answer(s, item: item, isNumberCell: false, codeLists: codeLists))
        case .number(let s)?: return .success(AnswerInput.answer(s, item: item, isNumberCell: true, codeLists: codeLists))
        case .date(let s)?:
            guard let d = TypedInput.date(fromSerial: s, date1904: date1904) else { return .success(.string(s)) }
            if item.type == .yearMonth { return .success(.string("\(d.year)-\(TypedInput.twoDigits(d.month))")) }
            return .success(.string("\(d.year)-\(TypedInput.twoDigits(d.month))-\(TypedInput.twoDigits(d.day))"))
        case .boolean(let b)?: return .success(.string(b ? "TRUE" : "FALSE"))
        case .formula(let f, _)?: return .failure(formulaProblem(f))
        case .error(let e)?: return .failure(CellProblem(code: "error_value", message: "是错误值 \(e)，请填写内容"))
        }
    }

    /// A 情况说明 cell.
    static func freeText(_ value: XLSXCellValue?, date1904: Bool = false) -> Swift.Result<String?, CellProblem> {
        let text: String
        switch value {
        case nil: return .success(nil)
        case .text(let s)?: text = s
        case .number(let s)?: text = TypedInput.plainNumberText(s)
        case .date(let s)?: text = TypedInput.dateText(fromSerial: s, date1904: date1904) ?? s
        case .boolean(let b)?: text = b ? "TRUE" : "FALSE"
        case .formula(let f, _)?: return .failure(formulaProblem(f))
        case .error(let e)?: return .failure(CellProblem(code: "error_value", message: "是错误值 \(e)，请填写文字说明"))
        }
        let t = TypedInput.trimmed(text)
        return .success(t.isEmpty ? nil : t)
    }

    static func isEmpty(_ value: XLSXCellValue?) -> Bool {
        switch value {
        case nil: true
        case .text(let s)?: TypedInput.isPlaceholder(s)
        case .number(let s)?: TypedInput.trimmed(s).isEmpty
        default: false
        }
    }

    /// How a cell's content is quoted in a message.
    static func shown(_ value: XLSXCellValue?, date1904: Bool = false) -> String {
        switch value {
        case nil: "空白"
        case .text(let s)?: TypedInput.trimmed(s).isEmpty ? "空白" : "“\(TypedInput.trimmed(s))”"
        case .number(let s)?: "“\(TypedInput.plainNumberText(s))”"
        case .date(let s)?: "日期“\(TypedInput.dateText(fromSerial: s, date1904: date1904) ?? s)”"
        case .boolean(let b)?: "“\(b ? "TRUE" : "FALSE")”"
        case .formula(let f, _)?: "公式“\(TypedInput.formulaText(f))”"
        case .error(let e)?: "错误值“\(e)”"
        }
    }

    /// Whether a 代码 cell or column head still holds its text (a code retyped as a number, `1` for
    /// `01`, still counts).
    static func anchorMatches(_ value: XLSXCellValue?, _ expected: String) -> Bool {
        let found: String
        switch value {
        case .text(let s)?: found = TypedInput.trimmed(s)
        case .number(let s)?: found = TypedInput.plainNumberText(s)
        case nil: found = ""
        default: return false
        }
        let wanted = TypedInput.trimmed(expected)
        if found == wanted { return true }
        func digits(_ s: String) -> Bool { !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }
        if digits(found), digits(wanted) {
            return found.drop(while: { $0 == "0" }) == wanted.drop(while: { $0 == "0" })
        }
        return false
    }

    static func normalizedCreditCode(_ code: String) -> String {
        TypedInput.trimmed(NumberInput.normalizeWidth(code)).uppercased()
    }
}

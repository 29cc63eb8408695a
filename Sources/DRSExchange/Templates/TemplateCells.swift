import DRSCore
import XLSXReader
import XLSXWriter

/// The input and grey cells of an uploaded template's sheet, read against its expected layout: the
/// figures, answers and 情况说明 found, and a problem for each cell that cannot be taken, in sheet order.
struct TemplateCells {
    let form: CompiledForm
    let sheet: XLSXSheet
    let codeLists: [String: CodeList]
    let date1904: Bool

    private(set) var values: CellValues
    private(set) var answerValues: [String: JSONValue] = [:]
    private(set) var explanations: [String: String] = [:]
    private var cellProblems: [(CellAddress, UploadProblem)] = []

    init(form: CompiledForm, sheet: XLSXSheet, codeLists: [String: CodeList], date1904: Bool) {
        self.form = form
        self.sheet = sheet
        self.codeLists = codeLists
        self.date1904 = date1904
        values = CellValues(count: form.layout.count)
    }

    /// The problems, ordered by cell (row, then column).
    var problems: [UploadProblem] { cellProblems.sorted { $0.0 < $1.0 }.map(\.1) }

    /// Every input cell of the layout, then every grey cell (which must be empty).
    mutating func read(_ layout: TemplateLayout) {
        for input in layout.inputs {
            read(input)
        }
        for (marker, position) in layout.closed {
            let found = sheet[position.row, position.column]
            if TemplateUpload.isEmpty(found) { continue }
            cellProblems.append((position, UploadProblem(sheet: sheet.name, cell: marker.address, code: "not_applicable",
                                                         message: "灰色单元格不填（\(marker.label)），请删除其中的\(TemplateUpload.shown(found, date1904: date1904))",
                                                         subject: marker.label)))
        }
    }

    private mutating func problem(_ input: TemplateLayout.Input, _ p: TemplateUpload.CellProblem) {
        cellProblems.append((input.position, UploadProblem(sheet: sheet.name, cell: input.marker.address, code: p.code, message: p.message,
                                                           subject: input.marker.label)))
    }

    private mutating func read(_ input: TemplateLayout.Input) {
        let found = sheet[input.position.row, input.position.column]
        switch input.binding {
        case .figure(let slot):
            let cell = form.layout.cells[slot]
            switch TemplateUpload.figure(found, percent: cell.unit == "%", allowNegative: cell.allowNegative, date1904: date1904) {
            case .success(let value): values[slot] = value
            case .failure(let p): problem(input, p)
            }
        case .answer(let field):
            readAnswer(found, field: field, input: input)
        case .explanation(let code):
            switch TemplateUpload.freeText(found, date1904: date1904) {
            case .success(let text): if let text { explanations[code] = text }
            case .failure(let p): problem(input, p)
            }
        }
    }

    /// An answer of a basic-information form: a number kept both as a figure and as the answer, or text.
    private mutating func readAnswer(_ found: XLSXCellValue?, field: AnswerField, input: TemplateLayout.Input) {
        if field.item.isNumeric {
            guard let slot = form.layout.slot(code: field.path, column: "value") else { return }
            switch TemplateUpload.figure(found, percent: field.item.type == .percentage, allowNegative: field.item.allowNegative ?? false,
                                         date1904: date1904) {
            case .success(let value):
                values[slot] = value
                if let value { answerValues[field.path] = .string(value.description) }
            case .failure(let p): problem(input, p)
            }
        } else {
            switch TemplateUpload.answer(found, item: field.item, codeLists: codeLists, date1904: date1904) {
            case .success(let value): if let value { answerValues[field.path] = value }
            case .failure(let p): problem(input, p)
            }
        }
    }
}

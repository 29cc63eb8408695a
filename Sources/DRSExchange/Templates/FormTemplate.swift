import DRSCore
import XLSXWriter

/// The Excel template of one form for filers: the official layout on a visible sheet named after the
/// 表号 (title, 表号, 制定机关, 批准机关, 批准文号, 有效期, unit and year, the column heads, section
/// rows, one row per indicator with open cells where the row has the column and grey cells where it
/// does not, breakdown rows, grids, the signature block and the notes), plus a very hidden sheet
/// `_drs` of machine-readable markers that `TemplateUpload` reads the filled file back with.
///
/// ```swift
/// let template = FormTemplate(form: catalog.form("E2")!, catalog: catalog, unitName: "中国某某集团有限公司",
///                             creditCode: "91350100M000100Y43", year: 2025, prefill: lastYearCarriedOver)
/// let bytes = try template.bytes(created: "2026-01-05T09:00:00+08:00")
/// ```
///
/// docs/xlsx-templates.md describes the layout and the markers.
public struct FormTemplate: Sendable {
    /// The hidden sheet of markers.
    public static let markerSheetName = MarkerSheet.name
    /// The version of the markers' format, written to `_drs` and required on upload.
    public static let formatVersion = MarkerSheet.formatVersion

    public let form: CompiledForm
    public let catalog: CompiledCatalog
    public var unitName: String?
    /// The unit's 统一社会信用代码: printed, and written to the markers so that the file is accepted
    /// only for this unit.
    public var creditCode: String?
    /// The data year (2025 for the survey filed by 2026-03-10): printed, and required on upload.
    public var year: Int?
    /// Figures written into the open cells (last year's 本年实际 carried over to 上年同期, a draft).
    public var prefill: CellValues?
    /// Answers of a basic-information form (P1, E1), in the JSON shape of docs/submission-format.md.
    public var answers: [String: JSONValue]
    /// 情况说明 by row code.
    public var explanations: [String: String]

    public init(form: CompiledForm, catalog: CompiledCatalog, unitName: String? = nil, creditCode: String? = nil, year: Int? = nil,
                prefill: CellValues? = nil, answers: [String: JSONValue] = [:], explanations: [String: String] = [:]) {
        self.form = form
        self.catalog = catalog
        self.unitName = unitName
        self.creditCode = creditCode
        self.year = year
        self.prefill = prefill
        self.answers = answers
        self.explanations = explanations
    }

    var layout: TemplateLayout {
        let trimmedCode = creditCode.map { TypedInput.trimmed($0) }.flatMap { $0.isEmpty ? nil : $0 }
        return TemplateLayout(form: form, catalog: catalog,
                              content: TemplateContent(unitName: unitName, creditCode: trimmedCode, year: year, values: prefill,
                                                       answers: answers, explanations: explanations))
    }

    /// The visible sheet's name: the 表号 (`企业2表`).
    public var sheetName: String { SheetName.sanitize(form.form.tableNumber, fallback: form.form.id) }

    /// Every marker line of `_drs`, in sheet order.
    public var markers: [TemplateMarker] { layout.markers }

    /// What the `_drs` sheet says about the template.
    public var info: TemplateInfo { info(of: layout) }

    private func info(of layout: TemplateLayout) -> TemplateInfo {
        let trimmedCode = creditCode.map { TypedInput.trimmed($0) }.flatMap { $0.isEmpty ? nil : $0 }
        return TemplateInfo(formatVersion: MarkerSheet.formatVersion, formID: form.form.id, edition: catalog.catalog.survey.edition,
                            layout: MarkerSheet.fingerprint(layout.markers), year: year, creditCode: trimmedCode, sheet: layout.sheetName)
    }

    /// `企业2表_2025_91350100M000100Y43.xlsx`.
    public var suggestedFileName: String {
        var name = form.form.tableNumber
        if let year { name += "_\(year)" }
        if let code = creditCode.map({ TypedInput.trimmed($0) }), !code.isEmpty { name += "_\(code)" }
        return name + ".xlsx"
    }

    /// The workbook: the form's sheet, then the very hidden `_drs`. `created` is the document's
    /// creation time (ISO 8601; the library reads no clock).
    public func workbook(created: String = "2026-01-01T00:00:00+08:00") -> Workbook {
        let layout = layout
        let info = info(of: layout)
        let title = "\(form.form.tableNumber) \(form.form.title)"
        return Workbook(
            properties: DocumentProperties(title: title, subject: catalog.catalog.survey.title,
                                           keywords: "drs-template \(form.form.id) \(catalog.catalog.survey.edition)", created: created),
            sheets: [layout.sheet, MarkerSheet.sheet(info: info, tableNumber: form.form.tableNumber, markers: layout.markers)])
    }

    /// The `.xlsx` file.
    public func bytes(created: String = "2026-01-01T00:00:00+08:00") throws -> [UInt8] {
        try workbook(created: created).bytes()
    }
}

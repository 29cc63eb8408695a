import DRSCatalog
import DRSCore
@testable import DRSExchange
import Foundation
import XLSXReader
import XLSXWriter

/// The 2026 catalog as shipped in catalog/, compiled once for all tests.
enum Shipped {
    static let catalog: CompiledCatalog = {
        let root = CatalogLoader.locateRoot()!
        return try! CompiledCatalog(CatalogLoader.load(edition: root.appendingPathComponent("2026")))
    }()

    static var units: [String: MeasureUnit] {
        Dictionary(uniqueKeysWithValues: catalog.catalog.survey.units.map { ($0.id, $0) })
    }

    static func form(_ id: String) -> CompiledForm { catalog.form(id)! }
}

/// What `XLSXReader` returns for a workbook as written: text cells as text, numbers as their decimal
/// text, sheets with their visibility and merges. Lets the upload be tested without the reader.
enum Simulated {
    static func document(_ workbook: Workbook) -> XLSXDocument {
        XLSXDocument(sheets: workbook.sheets.map(sheet))
    }

    static func document(_ template: FormTemplate) -> XLSXDocument { document(template.workbook()) }

    static func sheet(_ sheet: Sheet) -> XLSXSheet {
        var cells: [XLSXCellPosition: XLSXCellValue] = [:]
        for (r, row) in sheet.rows.enumerated() {
            for (c, cell) in row.cells.enumerated() {
                let position = XLSXCellPosition(row: r + 1, column: c + 1)
                switch cell.value {
                case .empty: continue
                case .text(let s): cells[position] = .text(s)
                case .number(let s): cells[position] = Cell.isPlainDecimal(s) ? .number(s) : .text(s)
                case .integer(let i): cells[position] = .number(String(i))
                case .boolean(let b): cells[position] = .boolean(b)
                }
            }
        }
        let visibility: XLSXSheet.Visibility = switch sheet.setup.visibility {
        case .visible: .visible
        case .hidden: .hidden
        case .veryHidden: .veryHidden
        }
        return XLSXSheet(name: sheet.name, visibility: visibility, cells: cells, merges: sheet.merges.map {
            XLSXRange(first: XLSXCellPosition(row: $0.first.row, column: $0.first.column),
                      last: XLSXCellPosition(row: $0.last.row, column: $0.last.column))
        })
    }
}

extension XLSXDocument {
    /// The position of a marker's cell (`01:cur`) on the form's sheet.
    static func position(_ template: FormTemplate, _ key: String, kind: TemplateMarker.Kind = .cell) -> XLSXCellPosition {
        let marker = template.markers.first { $0.kind == kind && $0.key == key }!
        let a = CellAddress(marker.address)!
        return XLSXCellPosition(row: a.row, column: a.column)
    }

    /// Sets cells of the form's sheet by marker key, as a filer (or the reader) would have them.
    mutating func fill(_ template: FormTemplate, _ values: [String: XLSXCellValue?], kind: TemplateMarker.Kind = .cell) {
        let index = sheets.firstIndex { $0.name == template.sheetName }!
        for (key, value) in values {
            sheets[index].cells[Self.position(template, key, kind: kind)] = value
        }
    }

    subscript(sheet name: String) -> XLSXSheet {
        get { sheets.first { $0.name == name }! }
        set { sheets[sheets.firstIndex { $0.name == name }!] = newValue }
    }
}

/// Figures by cell key (`01:cur`) into a form's values.
func values(_ form: CompiledForm, _ map: [String: String]) -> CellValues {
    var v = CellValues(count: form.layout.count)
    for (key, text) in map {
        let slot = form.layout.slot(CellKey(parsing: key)!)!
        v[slot] = try! NumberInput.parse(text)
    }
    return v
}

let unitCode = "91350100M000100Y43"

import DRSExchange
import Foundation
import XLSXWriter

extension TableExport {
    /// The tables as one workbook, a sheet each, in the layout of an official table: the title merged
    /// across the table, a subtitle, bordered header and body, numbers right-aligned as exact
    /// decimal text, notes underneath; header rows frozen and repeated on every printed page.
    public static func xlsx(_ tables: [Table], created: Date = Date()) throws -> [UInt8] {
        var taken = Set<String>()
        let sheets = tables.map { table -> Sheet in
            let width = max(table.head.map(\.count).max() ?? 1, table.rows.map(\.count).max() ?? 1)
            let headRows = table.head.count
            let name = SheetName.unique(SheetName.sanitize(table.sheetName), among: taken)
            taken.insert(name)
            var columns: [ColumnFormat] = []
            for c in 0..<width {
                let texts = table.head.compactMap { c < $0.count ? $0[c] : nil } + table.rows.prefix(2000).compactMap { c < $0.count ? $0[c].csv : nil }
                columns.append(ColumnFormat(c + 1, width: ColumnFormat.width(fitting: texts, minimum: c < table.textColumns ? 8 : 10, maximum: 40)))
            }
            var sheet = Sheet(name: name, setup: SheetSetup(columns: columns, frozen: FrozenPanes(rows: 2 + headRows, columns: min(table.textColumns, 2)),
                                                            page: .officialTable(headerRows: 3...(2 + headRows))))
            sheet.append([.text(table.title, style: .title)] + Array(repeating: .empty(style: .title), count: width - 1), height: 28)
            sheet.merge(CellRange(rows: 1...1, columns: 1...width))
            sheet.append([.text(table.subtitle, style: .subtitle)] + Array(repeating: .empty(style: .subtitle), count: width - 1))
            sheet.merge(CellRange(rows: 2...2, columns: 1...width))
            for head in table.head {
                sheet.append((0..<width).map { c in .text(c < head.count ? head[c] : "", style: .header) })
            }
            for row in table.rows {
                sheet.append((0..<width).map { c in
                    guard c < row.count else { return .empty(style: .text) }
                    switch row[c] {
                    // Inert in the workbook too: a text cell starting with = becomes a formula once edited.
                    case .text(let s): return .text(SpreadsheetText.neutralised(s), style: c < table.textColumns ? .text : .textCentered)
                    case .integer(let i): return .integer(i, style: .number(decimals: 0))
                    case .decimal(let d): return .number(d.description, style: .number())
                    case .empty: return .empty(style: .text)
                    }
                })
            }
            for note in table.notes {
                sheet.append([.text(note, style: .note)])
                sheet.merge(CellRange(rows: sheet.nextRow - 1...sheet.nextRow - 1, columns: 1...width))
            }
            return sheet
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let workbook = Workbook(properties: DocumentProperties(title: tables.first?.title ?? "", created: formatter.string(from: created)), sheets: sheets)
        return try workbook.bytes()
    }
}

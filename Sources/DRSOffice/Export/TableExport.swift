import DRSCore
import DRSExchange
import Foundation
import XLSXWriter

/// A statistical table (a title, header rows, body rows) written as CSV for machines and as XLSX in
/// the official layout for people. Numbers travel as exact decimal text, never through Double.
public enum TableExport {
    public enum Cell: Sendable {
        case text(String)
        case integer(Int)
        case decimal(ExactDecimal)
        case empty

        public var csv: String {
            switch self {
            case .text(let s): s
            case .integer(let i): String(i)
            case .decimal(let d): d.description
            case .empty: ""
            }
        }
    }

    public struct Table: Sendable {
        public var title: String
        public var subtitle: String
        public var sheetName: String
        public var head: [[String]]
        public var rows: [[Cell]]
        /// The leading columns that are labels (left-aligned, wider).
        public var textColumns: Int
        public var notes: [String] = []

        public init(title: String, subtitle: String, sheetName: String, head: [[String]], rows: [[Cell]], textColumns: Int, notes: [String] = []) {
            self.title = title
            self.subtitle = subtitle
            self.sheetName = sheetName
            self.head = head
            self.rows = rows
            self.textColumns = textColumns
            self.notes = notes
        }
    }

    public static let csvType = "text/csv; charset=utf-8"
    public static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// One RFC 4180 line: fields with commas, quotes or line breaks quoted, quotes doubled; text a
    /// spreadsheet would run as a formula (`=…`, `@…`) gets a leading apostrophe, numbers stay numbers
    /// (`SpreadsheetText`). Every CSV export writes its lines here, so none can skip the guard.
    public static func csvLine(_ fields: [String]) -> String {
        fields.map { field in
            let f = SpreadsheetText.neutralised(field)
            return f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",") + "\r\n"
    }

    /// RFC 4180 CSV with a UTF-8 byte-order mark, so Excel opens the Chinese text correctly.
    public static func csv(_ table: Table) -> String {
        "\u{FEFF}" + table.head.map(csvLine).joined() + table.rows.map { csvLine($0.map(\.csv)) }.joined()
    }
}

import DRSCore
import DRSExchange
import Foundation
import Vapor
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
        var title: String
        var subtitle: String
        var sheetName: String
        var head: [[String]]
        var rows: [[Cell]]
        /// The leading columns that are labels (left-aligned, wider).
        var textColumns: Int
        var notes: [String] = []
    }

    static let csvType = "text/csv; charset=utf-8"
    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    static func response(_ table: Table, format: String, fileName: String) throws -> Response {
        switch format {
        case "csv":
            return download(Array(csv(table).utf8), type: csvType, fileName: fileName + ".csv")
        case "xlsx":
            return download(try xlsx([table]), type: xlsxType, fileName: fileName + ".xlsx")
        default:
            throw APIError.badRequest("bad_format", "不支持的格式「\(format)」，可用：csv、xlsx")
        }
    }

    static func download(_ bytes: [UInt8], type: String, fileName: String) -> Response {
        Response(status: .ok, headers: downloadHeaders(type: type, fileName: fileName), body: .init(buffer: ByteBuffer(bytes: bytes)))
    }

    /// Content type and RFC 6266 / 5987 disposition: a plain ASCII fallback and the UTF-8 name.
    static func downloadHeaders(type: String, fileName: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: type)
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "export"
        let ext = fileName.split(separator: ".").last.map(String.init) ?? "dat"
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"drs-export.\(ext)\"; filename*=UTF-8''\(encoded)")
        return headers
    }

    /// One RFC 4180 line: fields with commas, quotes or line breaks quoted, quotes doubled; text a
    /// spreadsheet would run as a formula (`=…`, `@…`) gets a leading apostrophe, numbers stay numbers
    /// (`SpreadsheetText`). Every CSV export writes its lines here, so none can skip the guard.
    static func csvLine(_ fields: [String]) -> String {
        fields.map { field in
            let f = SpreadsheetText.neutralised(field)
            return f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",") + "\r\n"
    }

    /// RFC 4180 CSV with a UTF-8 byte-order mark, so Excel opens the Chinese text correctly.
    static func csv(_ table: Table) -> String {
        "\u{FEFF}" + table.head.map(csvLine).joined() + table.rows.map { csvLine($0.map(\.csv)) }.joined()
    }
}

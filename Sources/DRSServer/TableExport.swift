import DRSCore
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

    static func response(_ table: Table, format: String, fileName: String) throws -> Response {
        switch format {
        case "csv":
            return download(Array(csv(table).utf8), type: "text/csv; charset=utf-8", fileName: fileName + ".csv")
        case "xlsx":
            return download(try xlsx([table]), type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName: fileName + ".xlsx")
        default:
            throw APIError.badRequest("bad_format", "不支持的格式「\(format)」，可用：csv、xlsx")
        }
    }

    static func download(_ bytes: [UInt8], type: String, fileName: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: type)
        // RFC 6266 / 5987: a plain ASCII fallback and the UTF-8 name.
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "export"
        let ext = fileName.split(separator: ".").last.map(String.init) ?? "dat"
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"drs-export.\(ext)\"; filename*=UTF-8''\(encoded)")
        return Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(bytes: bytes)))
    }

    /// RFC 4180 CSV with a UTF-8 byte-order mark, so Excel opens the Chinese text correctly.
    static func csv(_ table: Table) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var lines = table.head.map { $0.map(field).joined(separator: ",") }
        lines += table.rows.map { $0.map { field($0.csv) }.joined(separator: ",") }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }
}

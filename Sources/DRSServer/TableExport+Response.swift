import DRSOffice
import Foundation
import Vapor

/// A table (DRSOffice `TableExport`) as a download: CSV or XLSX, with a file name in Chinese.
extension TableExport {
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
}

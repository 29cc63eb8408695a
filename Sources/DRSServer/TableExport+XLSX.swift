import Foundation

extension TableExport {
    /// The tables as one workbook, a sheet each, in the official layout. (wired to XLSXWriter next)
    static func xlsx(_ tables: [Table]) throws -> [UInt8] {
        throw APIError.badRequest("unavailable", "XLSX 导出尚未接通")
    }
}

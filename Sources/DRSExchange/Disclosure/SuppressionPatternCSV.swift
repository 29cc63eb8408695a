import DRSCore
import DRSDisclosure

/// The per-cell file of a protected table (`drs sdc protect --output`, read back by `drs sdc audit
/// --pattern`): the dimension columns (the code `Total` for a marginal), `value`, `freq` and
/// `status` (`primary`, `secondary`, `safe` or `empty`), one row per cell of the table with all
/// its marginals — the same shape as `sdc_peer.py --out`, so either tool can audit the other's.
public enum SuppressionPatternCSV {
    public static func write(_ protected: ProtectedTable) -> String {
        let table = protected.table
        var text = (table.dimensions.map(\.name) + ["value", "freq", "status"]).map(CSVUpload.quoted).joined(separator: ",") + "\n"
        for cell in 0..<table.cellCount {
            let fields = table.labels(of: cell) + [table.decimal(table.values[cell]).description,
                                                    String(table.contributors[cell]), protected.status[cell].rawValue]
            text += fields.map(CSVUpload.quoted).joined(separator: ",") + "\n"
        }
        return text
    }

    /// The suppressed flag of each cell, read from a pattern file: a row whose status is primary,
    /// secondary, suppressed, u, m, x, true or 1 (any case) marks its cell suppressed; cells the
    /// file does not list are published. Rows naming codes the table does not have are counted.
    public static func read(_ bytes: [UInt8], table: MagnitudeTable) throws(DisclosureFileError) -> (suppressed: [Bool], unknownRows: Int) {
        let marks: Set<String> = ["primary", "secondary", "suppressed", "u", "m", "x", "true", "1"]
        var suppressed = Array(repeating: false, count: table.cellCount)
        var unknown = 0
        try bytes.withUnsafeBufferPointer { buffer throws(DisclosureFileError) in
            var records = CSVRecords(buffer)
            guard let header = try records.nextRow(in: "模式文件") else { throw DisclosureFileError("模式文件为空") }
            let names = header.fields.map(\.trimmedOfBlanks)
            var columns: [Int] = []
            for name in table.dimensions.map(\.name) + ["status"] {
                guard let index = names.firstIndex(of: name) else {
                    throw DisclosureFileError("模式文件缺少列“\(name)”（表头：\(names.joined(separator: ","))）")
                }
                columns.append(index)
            }
            while let record = try records.nextRow(in: "模式文件") {
                guard let last = columns.max(), last < record.fields.count else { continue }
                let values = columns.map { record.fields[$0].trimmedOfBlanks }
                guard let status = values.last, marks.contains(status.lowercased()) else { continue }
                guard let cell = table.cell(labels: Array(values.dropLast())) else { unknown += 1; continue }
                suppressed[cell] = true
            }
        }
        return (suppressed, unknown)
    }
}

/// RFC 4180 records read one at a time from UTF-8 bytes, in place: a file is never copied into a
/// `String` or split into an array of all its lines, so reading costs memory for one record, not for
/// the whole file (issue #11, finding 7). A record longer than `UploadLimits.maximumFieldsPerRow`
/// fields or a field longer than `UploadLimits.maximumFieldBytes` stops reading with the line.
///
/// Quoted fields may hold commas, quotes (`""`) and line breaks; CRLF, LF and CR all end a record.
/// A byte order mark is skipped. Each field must be valid UTF-8.
struct CSVRecords {
    struct SyntaxError: Error {
        var line: Int
        var code = "bad_csv"
        var message: String
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position: Int
    /// The line the next record starts on.
    private var line = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    /// The record being read: the fields so far, the field being read and where the reading is in it.
    private struct PendingRecord {
        /// The line the record starts on.
        let line: Int
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false, quotedField = false, afterQuote = false
        /// The line the open quote is on, for the message when it never closes.
        var quoteLine: Int

        init(line: Int) {
            self.line = line
            quoteLine = line
        }

        @inline(__always) mutating func endField() throws(SyntaxError) {
            guard fields.count < UploadLimits.maximumFieldsPerRow else {
                throw SyntaxError(line: line, code: "too_many_fields",
                                  message: "这一行超过\(UploadLimits.maximumFieldsPerRow)列，不是本平台的 CSV 格式（表头应为：\(CSVUpload.header.joined(separator: ","))）")
            }
            guard let text = String(validating: field, as: UTF8.self) else {
                throw SyntaxError(line: line, code: "not_utf8", message: "文件不是 UTF-8 编码（请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”）")
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            quotedField = false
            afterQuote = false
        }

        @inline(__always) mutating func append(_ byte: UInt8) throws(SyntaxError) {
            guard field.count < UploadLimits.maximumFieldBytes else {
                throw SyntaxError(line: line, code: "field_too_long",
                                  message: "有一个字段超过\(UploadLimits.maximumFieldBytes >> 10) KB，已停止读取（是否缺少右引号？）")
            }
            field.append(byte)
        }
    }

    /// The next record and the line it starts on, or nil at the end of the file.
    mutating func next() throws(SyntaxError) -> (line: Int, fields: [String])? {
        guard position < bytes.count else { return nil }
        var record = PendingRecord(line: line)
        while position < bytes.count {
            let c = bytes[position]
            position += 1
            if record.inQuotes {
                try quoted(c, into: &record)
                continue
            }
            switch c {
            case Self.comma:
                try record.endField()
            case Self.cr, Self.lf:
                if c == Self.cr, position < bytes.count, bytes[position] == Self.lf { position += 1 }
                try record.endField()
                line += 1
                return (record.line, record.fields)
            case Self.quote:
                try openQuote(&record)
            default:
                if record.afterQuote {
                    if c == Self.space || c == Self.tab { continue }
                    throw SyntaxError(line: line, message: "右引号后应紧跟逗号或换行")
                }
                try record.append(c)
            }
        }
        if record.inQuotes { throw SyntaxError(line: record.quoteLine, message: "引号没有闭合（从本行开始的字段缺少右引号）") }
        if !record.field.isEmpty || !record.fields.isEmpty || record.quotedField {
            try record.endField()
            return (record.line, record.fields)
        }
        return nil
    }

    /// A byte inside quotes: `""` is a quote, a lone quote closes the field, anything else is content.
    @inline(__always) private mutating func quoted(_ c: UInt8, into record: inout PendingRecord) throws(SyntaxError) {
        if c == Self.quote {
            if position < bytes.count, bytes[position] == Self.quote {
                try record.append(Self.quote)
                position += 1
            } else {
                record.inQuotes = false
                record.afterQuote = true
            }
        } else {
            if c == Self.lf || (c == Self.cr && (position >= bytes.count || bytes[position] != Self.lf)) { line += 1 }
            try record.append(c)
        }
    }

    /// A quote outside quotes opens a quoted field, but only where the field starts (after blanks).
    @inline(__always) private func openQuote(_ record: inout PendingRecord) throws(SyntaxError) {
        if !record.quotedField && record.field.allSatisfy({ $0 == Self.space || $0 == Self.tab }) {
            record.field.removeAll(keepingCapacity: true)
            record.inQuotes = true
            record.quotedField = true
            record.quoteLine = line
        } else {
            throw SyntaxError(line: line, message: "引号位置不对：含引号的字段应整体用英文双引号括起，字段内的引号写作两个（\"\"）")
        }
    }
}

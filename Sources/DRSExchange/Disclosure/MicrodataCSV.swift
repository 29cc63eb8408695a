import DRSCore
import DRSDisclosure

/// Microdata for disclosure control: a CSV with a header and one row per respondent, read into the
/// contributions of a table (`drs sdc`). The dimension, value and holding columns are named by the
/// caller; other columns are ignored. Any problem stops reading with the line and what is wrong.
public enum MicrodataCSV {
    public struct Columns: Sendable {
        public var dimensions: [String]
        public var value: String
        public var holding: String?

        public init(dimensions: [String], value: String, holding: String? = nil) {
            self.dimensions = dimensions
            self.value = value
            self.holding = holding
        }
    }

    /// More rows than any survey year has respondents; a bound, not a target.
    public static let maximumRows = 2_000_000

    public static func read(_ bytes: [UInt8], columns: Columns) throws(DisclosureFileError) -> [Contribution] {
        try bytes.withUnsafeBufferPointer { buffer throws(DisclosureFileError) in
            var records = CSVRecords(buffer)
            guard let header = try records.nextRow(in: "微观数据") else { throw DisclosureFileError("微观数据文件为空") }
            let indices = try columnIndices(header.fields, columns)
            var contributions: [Contribution] = []
            while let record = try records.nextRow(in: "微观数据") {
                if record.fields.count == 1, record.fields[0].isEmpty { continue }
                guard contributions.count < maximumRows else {
                    throw DisclosureFileError("微观数据超过 \(maximumRows) 行")
                }
                contributions.append(try contribution(record, indices))
            }
            return contributions
        }
    }

    private struct Indices { var dimensions: [Int]; var value: Int; var holding: Int? }

    private static func columnIndices(_ header: [String], _ columns: Columns) throws(DisclosureFileError) -> Indices {
        let names = header.map { $0.trimmedOfBlanks }
        func index(_ name: String) throws(DisclosureFileError) -> Int {
            guard let found = names.firstIndex(of: name) else {
                throw DisclosureFileError("微观数据缺少列“\(name)”（表头：\(names.joined(separator: ","))）")
            }
            return found
        }
        var dimensions: [Int] = []
        for name in columns.dimensions { dimensions.append(try index(name)) }
        return Indices(dimensions: dimensions, value: try index(columns.value),
                       holding: try columns.holding.map { name throws(DisclosureFileError) in try index(name) })
    }

    private static func contribution(_ record: (line: Int, fields: [String]), _ at: Indices) throws(DisclosureFileError) -> Contribution {
        func field(_ index: Int) throws(DisclosureFileError) -> String {
            guard index < record.fields.count else {
                throw DisclosureFileError("第 \(record.line) 行只有 \(record.fields.count) 列")
            }
            return record.fields[index].trimmedOfBlanks
        }
        var coordinates: [String] = []
        for index in at.dimensions { coordinates.append(try field(index)) }
        let raw = try field(at.value)
        let parsed: ExactDecimal?
        if let plain = plainDecimal(raw) { parsed = plain } else { do { parsed = try NumberInput.parse(raw) } catch {
            throw DisclosureFileError("第 \(record.line) 行：数值“\(raw)”无法识别（\(error.code)）")
        } }
        guard let value = parsed else { throw DisclosureFileError("第 \(record.line) 行：数值为空") }
        guard !value.isNegative else { throw DisclosureFileError("第 \(record.line) 行：数值 \(raw) 为负，量值表不接受负值") }
        let holding = try at.holding.map { index throws(DisclosureFileError) in try field(index) }
        return Contribution(coordinates: coordinates, holding: holding, value: value)
    }
}

/// A disclosure-control file that cannot be used; nothing is written then.
public struct DisclosureFileError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension MicrodataCSV {
    /// The common case read directly: up to 15 ASCII digits with at most one point and 6 decimals
    /// ("6.03", "20000"); anything else (signs, grouping, exponents, full-width digits) goes through
    /// `NumberInput.parse`, which reads every form a filer may type.
    static func plainDecimal(_ text: String) -> ExactDecimal? {
        var units: Int128 = 0, digits = 0, scale = 0, seenPoint = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            digits += 1
            if seenPoint { scale += 1 }
            guard digits <= 15, scale <= 6 else { return nil }
            units = units * 10 + Int128(byte - UInt8(ascii: "0"))
        }
        guard digits > 0 else { return nil }
        return ExactDecimal(units: units, scale: scale).normalized
    }
}

extension CSVRecords {
    /// The next record, its syntax error told as a disclosure-control file error.
    mutating func nextRow(in file: String) throws(DisclosureFileError) -> (line: Int, fields: [String])? {
        do { return try next() } catch { throw DisclosureFileError("\(file)第 \(error.line) 行：\(error.message)") }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (a hand-edited CSV often has them).
    var trimmedOfBlanks: String {
        guard let first = utf8.first, let last = utf8.last,
              first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") || last == UInt8(ascii: " ") || last == UInt8(ascii: "\t")
        else { return self }
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}

/// Reads a stored cell map's JSON text straight into a form's `CellValues`, for the national
/// aggregation, which reads every verified submission of a form (40,000 of 企业5表, 160 figures each,
/// at 100,000 units): parsing each into a `[String: String]` and then every figure through
/// `NumberInput.parse` (which also accepts full-width digits, separators, exponents) was most of its
/// 20 seconds.
///
/// Only the text storage writes is read here: a flat JSON object of string values, no escapes, keys
/// the form defines, each once, and figures in the plain form `-?digits[.digits]` with at most 15
/// integer and 6 decimal digits. Anything else gives nil, and the caller reads that submission the
/// general way (`values(fromStored:unknown:)`), so the result is always the same as that way's.
public struct StoredCellsReader: Sendable {
    let slotCount: Int
    /// `"01:cum"` → slot, for the cells read (all, or those kept).
    let slots: [String: Int]
    /// Keys of the form that are skipped (not kept): a caller that reads a few cells of many.
    let skipped: Set<String>

    /// `keep` limits the cells read to those keys (the report reads a few dozen of a form's hundreds); nil reads all.
    public init(form: CompiledForm, keep: Set<String>? = nil) {
        var slots: [String: Int] = [:], skipped = Set<String>()
        for (slot, cell) in form.layout.cells.enumerated() {
            let key = cell.key.description
            if keep?.contains(key) ?? true { slots[key] = slot } else { skipped.insert(key) }
        }
        self.slotCount = form.layout.count
        self.slots = slots
        self.skipped = skipped
    }

    /// The figures of a stored map, or nil when the text is not in the plain stored shape.
    public func values(_ json: String) -> CellValues? {
        var text = json
        return text.withUTF8 { bytes in read(bytes) }
    }

    private func read(_ bytes: UnsafeBufferPointer<UInt8>) -> CellValues? {
        var values = CellValues(count: slotCount)
        var scan = ByteScan(bytes: bytes)
        guard scan.take(UInt8(ascii: "{")) else { return nil }
        if scan.take(UInt8(ascii: "}")) { return scan.atEnd ? values : nil }
        repeat {
            guard let keyRange = scan.string(), scan.take(UInt8(ascii: ":")), let valueRange = scan.string() else { return nil }
            let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[keyRange]), as: UTF8.self)
            if let slot = slots[key] {
                guard !values.present[slot], let units = Self.millionths(UnsafeBufferPointer(rebasing: bytes[valueRange])) else { return nil }
                values.setMillionths(units, at: slot)
            } else if !skipped.contains(key) {
                return nil
            }
        } while scan.take(UInt8(ascii: ","))
        return scan.take(UInt8(ascii: "}")) && scan.atEnd ? values : nil
    }

    /// `-?d{1,15}(.d{1,6})?` in millionths; nil for anything else (read the general way).
    static func millionths(_ text: UnsafeBufferPointer<UInt8>) -> Int128? {
        var i = 0
        let negative = i < text.count && text[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var integer: Int64 = 0, integerDigits = 0
        while i < text.count, let d = digit(text[i]) {
            integer = integer &* 10 &+ d
            integerDigits += 1
            i += 1
        }
        guard (1...15).contains(integerDigits) else { return nil }
        var fraction: Int64 = 0, fractionDigits = 0
        if i < text.count, text[i] == UInt8(ascii: ".") {
            i += 1
            while i < text.count, let d = digit(text[i]) {
                fraction = fraction &* 10 &+ d
                fractionDigits += 1
                i += 1
            }
            guard (1...CellValues.scale).contains(fractionDigits) else { return nil }
        }
        guard i == text.count else { return nil }
        // Below 10^15 with at most 6 decimals: at most 10^21 millionths, inside 128 bits by far.
        let units = Int128(integer) * CellValues.unit + Int128(fraction) * ExactDecimal.pow10(CellValues.scale - fractionDigits)
        return negative ? -units : units
    }

    @inline(__always)
    private static func digit(_ byte: UInt8) -> Int64? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int64(byte &- UInt8(ascii: "0")) : nil
    }
}

/// A cursor over the stored text: single bytes and escape-free strings, no whitespace (storage writes none).
private struct ByteScan {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    var atEnd: Bool { i == bytes.count }

    mutating func take(_ byte: UInt8) -> Bool {
        guard i < bytes.count, bytes[i] == byte else { return false }
        i += 1
        return true
    }

    /// The bounds of a string's contents; nil when it holds an escape or is unterminated.
    mutating func string() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = i
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\""):
                i += 1
                return start..<(i - 1)
            case UInt8(ascii: "\\"), 0..<0x20: return nil
            default: i += 1
            }
        }
        return nil
    }
}

/// A1-style references, parsed from bytes.
enum CellReference {
    /// Beyond any real row or column: values are clamped here so parsing never overflows.
    static let huge = 1 << 40

    /// `B14`, `$B$14`, `b14` → (row 14, column 2). Nil unless it is letters then digits (dollars
    /// allowed before each), with a column and a row of at least 1. Values beyond Excel's are kept
    /// (clamped at `huge`) for the caller to refuse against its limits.
    static func parse(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> (row: Int, column: Int)? {
        var k = start
        if k < end && p[k] == 0x24 { k += 1 }
        var column = 0
        let lettersStart = k
        while k < end {
            var c = p[k]
            if c >= 0x61 && c <= 0x7A { c -= 0x20 }
            guard c >= 0x41 && c <= 0x5A else { break }
            column = min(column * 26 + Int(c - 0x40), huge)
            k += 1
        }
        guard k > lettersStart else { return nil }
        if k < end && p[k] == 0x24 { k += 1 }
        var row = 0
        let digitsStart = k
        while k < end {
            let c = p[k]
            guard c >= 0x30 && c <= 0x39 else { return nil }
            row = min(row * 10 + Int(c - 0x30), huge)
            k += 1
        }
        guard k > digitsStart, row >= 1 else { return nil }
        return (row, column)
    }

    /// `A1:C3` or a single cell `A1`, corners ordered.
    static func parseRange(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> XLSXRange? {
        var colon = start
        while colon < end && p[colon] != 0x3A { colon += 1 }
        guard let a = parse(p, start, colon) else { return nil }
        let b: (row: Int, column: Int)
        if colon < end {
            guard let parsed = parse(p, colon + 1, end) else { return nil }
            b = parsed
        } else {
            b = a
        }
        return XLSXRange(first: XLSXCellPosition(row: min(a.row, b.row), column: min(a.column, b.column)),
                         last: XLSXCellPosition(row: max(a.row, b.row), column: max(a.column, b.column)))
    }

    /// A non-negative decimal integer (row numbers, indices), or nil.
    static func integer(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var k = start
        while k < end && (p[k] == 0x20 || p[k] == 0x09 || p[k] == 0x0A || p[k] == 0x0D) { k += 1 }
        var e = end
        while e > k && (p[e - 1] == 0x20 || p[e - 1] == 0x09 || p[e - 1] == 0x0A || p[e - 1] == 0x0D) { e -= 1 }
        guard k < e else { return nil }
        var value = 0
        while k < e {
            let c = p[k]
            guard c >= 0x30 && c <= 0x39 else { return nil }
            value = min(value * 10 + Int(c - 0x30), huge)
            k += 1
        }
        return value
    }

    static func integer(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return nil }
            return integer(base, 0, b.count)
        }
    }

    /// `A`…`XFD`.
    static func columnName(_ column: Int) -> String {
        var n = column
        var letters: [UInt8] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(UInt8(0x41 + r))
            n = (n - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }
}

/// The limits of a worksheet (Excel 2007 and later).
public enum SheetLimits {
    public static let maxRows = 1_048_576
    public static let maxColumns = 16_384
    /// Characters (UTF-16 units) a cell can hold; longer text is cut to this.
    public static let maxCellTextLength = 32_767
    public static let maxSheetNameLength = 31
}

/// A cell position, 1-based: row 14, column 2 is `B14`.
public struct CellAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// Parses `B14`, `$B$14`, `b14`; nil for anything else or outside the sheet limits.
    public init?(_ reference: String) {
        var letters = 0, column = 0, row = 0, digits = 0
        var bytes = Array(reference.utf8)[...]
        if bytes.first == 0x24 { bytes = bytes.dropFirst() }  // $
        while let c = bytes.first, let v = CellAddress.letterValue(c) {
            column = column * 26 + v
            letters += 1
            bytes = bytes.dropFirst()
            if letters > 3 { return nil }
        }
        if bytes.first == 0x24 { bytes = bytes.dropFirst() }
        while let c = bytes.first, c >= 0x30 && c <= 0x39 {
            if digits == 0 && c == 0x30 { return nil }
            row = row * 10 + Int(c - 0x30)
            digits += 1
            bytes = bytes.dropFirst()
            if digits > 7 { return nil }
        }
        guard bytes.isEmpty, letters > 0, digits > 0, column <= SheetLimits.maxColumns, row <= SheetLimits.maxRows else { return nil }
        self.init(row: row, column: column)
    }

    static func letterValue(_ c: UInt8) -> Int? {
        if c >= 0x41 && c <= 0x5A { return Int(c - 0x40) }
        if c >= 0x61 && c <= 0x7A { return Int(c - 0x60) }
        return nil
    }

    public var isValid: Bool {
        (1...SheetLimits.maxRows).contains(row) && (1...SheetLimits.maxColumns).contains(column)
    }

    /// `B14`.
    public var description: String { CellAddress.columnName(column) + String(row) }

    /// `$B$14`.
    public var absolute: String { "$" + CellAddress.columnName(column) + "$" + String(row) }

    public static func < (a: CellAddress, b: CellAddress) -> Bool {
        (a.row, a.column) < (b.row, b.column)
    }

    /// Column letters: 1 → `A`, 26 → `Z`, 27 → `AA`, 16384 → `XFD` (bijective base 26).
    public static func columnName(_ column: Int) -> String {
        precondition(column >= 1, "columns are numbered from 1")
        return String(decoding: columnLetters(column), as: UTF8.self)
    }

    /// The column number of `A`…`XFD` (case-insensitive); nil for anything else.
    public static func columnNumber(_ name: String) -> Int? {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 3 else { return nil }
        var column = 0
        for c in bytes {
            guard let v = letterValue(c) else { return nil }
            column = column * 26 + v
        }
        return column <= SheetLimits.maxColumns ? column : nil
    }

    static func columnLetters(_ column: Int) -> [UInt8] {
        var letters: [UInt8] = []
        var n = column
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(0x41 + UInt8(r))
            n = (n - 1) / 26
        }
        return letters.reversed()
    }
}

/// A rectangle of cells, `A1:F1`; normalised so that `first` is the top-left corner.
public struct CellRange: Sendable, Hashable, CustomStringConvertible {
    public var first: CellAddress
    public var last: CellAddress

    public init(_ a: CellAddress, _ b: CellAddress) {
        first = CellAddress(row: min(a.row, b.row), column: min(a.column, b.column))
        last = CellAddress(row: max(a.row, b.row), column: max(a.column, b.column))
    }

    /// Rows and columns, 1-based and inclusive.
    public init(rows: ClosedRange<Int>, columns: ClosedRange<Int>) {
        self.init(CellAddress(row: rows.lowerBound, column: columns.lowerBound),
                  CellAddress(row: rows.upperBound, column: columns.upperBound))
    }

    /// Parses `A1:F1` (or a single `B3`, with or without `$`).
    public init?(_ reference: String) {
        let parts = reference.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
              let a = CellAddress(String(parts[0])), let b = CellAddress(String(parts[parts.count - 1]))
        else { return nil }
        self.init(a, b)
    }

    public var rows: ClosedRange<Int> { first.row...last.row }
    public var columns: ClosedRange<Int> { first.column...last.column }
    public var isSingleCell: Bool { first == last }
    public var isValid: Bool { first.isValid && last.isValid }

    public func overlaps(_ other: CellRange) -> Bool {
        rows.overlaps(other.rows) && columns.overlaps(other.columns)
    }

    /// `A1:F1` (a single cell: `A1`).
    public var description: String { isSingleCell ? first.description : "\(first):\(last)" }

    /// `$A$1:$F$1`.
    public var absolute: String { isSingleCell ? first.absolute : "\(first.absolute):\(last.absolute)" }

    /// The range in a formula or defined name: `'汇总表'!$A$1:$F$1`.
    public func reference(inSheet sheet: String) -> String {
        SheetName.quoted(sheet) + "!" + absolute
    }
}

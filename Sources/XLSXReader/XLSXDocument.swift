/// A workbook as read from an XLSX file: what an upload is checked against. Values are kept as the
/// text the file holds (numbers as their decimal text), so no figure passes through a Double.
public struct XLSXDocument: Sendable, Equatable {
    public var sheets: [XLSXSheet]
    /// Workbook-level defined names (name → formula text such as `'_drs'!$A$1`). Names scoped to
    /// one sheet (`localSheetId`) are in that sheet's `definedNames`.
    public var definedNames: [String: String]
    /// The workbook counts dates from 1904-01-01 (`<workbookPr date1904="1"/>`, old Mac Excel)
    /// rather than 1899-12-30: the serial numbers of `.date` cells are to be read accordingly.
    public var date1904: Bool

    public init(sheets: [XLSXSheet], definedNames: [String: String] = [:], date1904: Bool = false) {
        self.sheets = sheets
        self.definedNames = definedNames
        self.date1904 = date1904
    }

    public func sheet(named name: String) -> XLSXSheet? { sheets.first { $0.name == name } }
}

public struct XLSXSheet: Sendable, Equatable {
    public enum Visibility: String, Sendable { case visible, hidden, veryHidden }

    public var name: String
    public var visibility: Visibility
    /// Cells by 1-based (row, column), only those present in the file.
    public var cells: [XLSXCellPosition: XLSXCellValue]
    public var merges: [XLSXRange]
    /// Defined names scoped to this sheet (`<definedName localSheetId="…">`, e.g. `_xlnm.Print_Titles`).
    public var definedNames: [String: String]

    public init(name: String, visibility: Visibility = .visible, cells: [XLSXCellPosition: XLSXCellValue] = [:], merges: [XLSXRange] = [],
                definedNames: [String: String] = [:]) {
        self.name = name
        self.visibility = visibility
        self.cells = cells
        self.merges = merges
        self.definedNames = definedNames
    }

    public subscript(row: Int, column: Int) -> XLSXCellValue? { cells[XLSXCellPosition(row: row, column: column)] }
}

public struct XLSXCellPosition: Sendable, Hashable, Comparable {
    public var row: Int
    public var column: Int
    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }
    public static func < (a: Self, b: Self) -> Bool { (a.row, a.column) < (b.row, b.column) }
    /// One word to hash rather than two (sheets of millions of cells are keyed by it), through
    /// the one-shot path `Int` itself uses.
    public func hash(into hasher: inout Hasher) { hasher.combine(row &* 0x4000_0001 &+ column) }
    public func _rawHashValue(seed: Int) -> Int { (row &* 0x4000_0001 &+ column)._rawHashValue(seed: seed) }
}

public struct XLSXRange: Sendable, Hashable {
    public var first: XLSXCellPosition
    public var last: XLSXCellPosition
    public init(first: XLSXCellPosition, last: XLSXCellPosition) {
        self.first = first
        self.last = last
    }
}

public enum XLSXCellValue: Sendable, Equatable {
    /// A shared or inline string, or a `t="str"` formula result read as text.
    case text(String)
    /// A number cell's `<v>` text as written (e.g. "1234.5", "1E-3").
    case number(String)
    /// A number cell whose style is a date or time format (Excel stores dates as serial numbers).
    /// The text is the `<v>` as written: a serial number (days since 1899-12-30, or since 1904-01-01
    /// when `XLSXDocument.date1904`) for a number cell, an ISO 8601 date for a `t="d"` cell.
    case date(String)
    case boolean(Bool)
    /// A cell with a formula; `cached` is the last computed value as written, if any.
    /// (Stored out of line, so that every other value takes 17 bytes rather than 33.)
    indirect case formula(String, cached: String?)
    /// `#N/A`, `#DIV/0!`…
    case error(String)
}

/// Whether a sheet's tab is shown.
public enum SheetVisibility: String, Sendable, Hashable {
    case visible
    /// Hidden, and the user can unhide it (右键 → 取消隐藏).
    case hidden
    /// Hidden, and only a program (or the VBA editor) can unhide it.
    case veryHidden
}

/// Width (and visibility) of one or more adjacent columns.
public struct ColumnFormat: Sendable, Hashable {
    /// 1-based, inclusive.
    public var columns: ClosedRange<Int>
    /// In characters of the default font's digit width (0…255); nil keeps the default width.
    public var width: Double?
    public var hidden: Bool

    public init(_ columns: ClosedRange<Int>, width: Double?, hidden: Bool = false) {
        self.columns = columns
        self.width = width
        self.hidden = hidden
    }

    public init(_ column: Int, width: Double?, hidden: Bool = false) {
        self.init(column...column, width: width, hidden: hidden)
    }

    /// A width that fits the longest of `texts`, counting East Asian wide characters (汉字, full-width
    /// forms) as two, plus a little padding, within `minimum…maximum`.
    public static func width<S: Sequence>(fitting texts: S, minimum: Double = 6, maximum: Double = 60) -> Double where S.Element == String {
        var widest = 0
        for text in texts {
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                widest = max(widest, line.unicodeScalars.reduce(0) { $0 + displayWidth($1) })
            }
        }
        return min(max(Double(widest) + 2, minimum), maximum)
    }

    static func displayWidth(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            2
        default:
            1
        }
    }
}

/// Rows and columns that stay in view while scrolling (the header rows of a table).
public struct FrozenPanes: Sendable, Hashable {
    public var rows: Int
    public var columns: Int

    public init(rows: Int = 0, columns: Int = 0) {
        self.rows = rows
        self.columns = columns
    }
}

/// How a sheet prints.
public struct PageSetup: Sendable, Hashable {
    public enum Orientation: String, Sendable, Hashable {
        case portrait, landscape
    }

    public var orientation: Orientation
    /// `paperSize` code: 9 = A4, 8 = A3.
    public var paperSize: Int
    /// Shrink to one page wide (as many pages tall as needed).
    public var fitToWidth: Bool
    /// Rows printed at the top of every page (the table header), 1-based.
    public var repeatRows: ClosedRange<Int>?
    /// Columns printed at the left of every page, 1-based.
    public var repeatColumns: ClosedRange<Int>?
    /// Centre the table horizontally on the page.
    public var centerHorizontally: Bool
    /// Print 「第 N 页，共 M 页」 in the footer.
    public var pageNumbers: Bool
    public var margins: PageMargins

    public init(orientation: Orientation = .portrait, paperSize: Int = 9, fitToWidth: Bool = false,
                repeatRows: ClosedRange<Int>? = nil, repeatColumns: ClosedRange<Int>? = nil,
                centerHorizontally: Bool = false, pageNumbers: Bool = false,
                margins: PageMargins = PageMargins()) {
        self.orientation = orientation
        self.paperSize = paperSize
        self.fitToWidth = fitToWidth
        self.repeatRows = repeatRows
        self.repeatColumns = repeatColumns
        self.centerHorizontally = centerHorizontally
        self.pageNumbers = pageNumbers
        self.margins = margins
    }

    /// Landscape A4, one page wide, header rows repeated, page numbers: the usual 汇总表 print.
    public static func officialTable(headerRows: ClosedRange<Int>? = nil) -> PageSetup {
        PageSetup(orientation: .landscape, fitToWidth: true, repeatRows: headerRows, centerHorizontally: true, pageNumbers: true)
    }
}

/// Page margins in inches.
public struct PageMargins: Sendable, Hashable {
    public var left, right, top, bottom, header, footer: Double

    public init(left: Double = 0.5, right: Double = 0.5, top: Double = 0.75, bottom: Double = 0.75, header: Double = 0.3, footer: Double = 0.3) {
        (self.left, self.right, self.top, self.bottom, self.header, self.footer) = (left, right, top, bottom, header, footer)
    }
}

/// Everything about a sheet that must be known before its first row is written (it precedes
/// `<sheetData>` in the file), plus its print setup.
public struct SheetSetup: Sendable, Hashable {
    public var columns: [ColumnFormat]
    public var frozen: FrozenPanes?
    public var visibility: SheetVisibility
    public var page: PageSetup?
    public var showGridLines: Bool
    /// Default row height in points (nil: the application's default).
    public var defaultRowHeight: Double?

    public init(columns: [ColumnFormat] = [], frozen: FrozenPanes? = nil, visibility: SheetVisibility = .visible,
                page: PageSetup? = nil, showGridLines: Bool = true, defaultRowHeight: Double? = nil) {
        self.columns = columns
        self.frozen = frozen
        self.visibility = visibility
        self.page = page
        self.showGridLines = showGridLines
        self.defaultRowHeight = defaultRowHeight
    }
}

/// A workbook-level or sheet-level name for a range or a constant (`refersTo` is formula text
/// without the `=`, e.g. `'汇总表'!$A$5:$F$40`; `CellRange.reference(inSheet:)` builds one).
public struct DefinedName: Sendable, Hashable {
    public var name: String
    public var refersTo: String
    /// Index (0-based, in the order sheets were written) of the sheet the name belongs to; nil: the workbook.
    public var sheetIndex: Int?
    public var hidden: Bool

    public init(_ name: String, refersTo: String, sheetIndex: Int? = nil, hidden: Bool = false) {
        self.name = name
        self.refersTo = refersTo
        self.sheetIndex = sheetIndex
        self.hidden = hidden
    }

    /// Letters (any script), digits, `_`, `.` and `\`; starting with a letter, `_` or `\`; not a cell
    /// reference (`A1`, `R1C1`), not `R`/`C`; at most 255 characters. `_xlnm.` names are Excel's own.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, name.count <= 255 else { return false }
        guard first.isLetter || first == "_" || first == "\\" else { return false }
        for c in name where !(c.isLetter || c.isNumber || c == "_" || c == "." || c == "\\") { return false }
        let upper = name.uppercased()
        if upper == "R" || upper == "C" { return false }
        if CellAddress(name) != nil { return false }
        // R1C1-style references.
        var rest = Substring(upper)
        if rest.first == "R" {
            rest = rest.dropFirst()
            while let c = rest.first, c.isASCII, c.isNumber { rest = rest.dropFirst() }
            if rest.isEmpty { return false }
            if rest.first == "C" {
                rest = rest.dropFirst()
                while let c = rest.first, c.isASCII, c.isNumber { rest = rest.dropFirst() }
                if rest.isEmpty { return false }
            }
        } else if rest.first == "C" {
            rest = rest.dropFirst()
            while let c = rest.first, c.isASCII, c.isNumber { rest = rest.dropFirst() }
            if rest.isEmpty { return false }
        }
        return true
    }
}

/// One cell: a value and a named style.
public struct Cell: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        case empty
        /// Text (any Unicode; control characters XML cannot carry are dropped, text beyond 32,767
        /// UTF-16 units is cut).
        case text(String)
        /// A number as decimal text, `-?[0-9]+(\.[0-9]+)?`, written verbatim as the cell's value so no
        /// binary floating point touches it in the file. Text that is not such a number is written
        /// as a text cell instead.
        case number(String)
        case integer(Int)
        case boolean(Bool)
    }

    public var value: Value
    public var style: CellStyle

    public init(_ value: Value, style: CellStyle = .plain) {
        self.value = value
        self.style = style
    }

    public static let empty = Cell(.empty)

    public static func empty(style: CellStyle) -> Cell { Cell(.empty, style: style) }
    public static func text(_ text: String, style: CellStyle = .plain) -> Cell { Cell(.text(text), style: style) }
    public static func number(_ decimalText: String, style: CellStyle = .plain) -> Cell { Cell(.number(decimalText), style: style) }
    public static func integer(_ value: Int, style: CellStyle = .plain) -> Cell { Cell(.integer(value), style: style) }
    public static func boolean(_ value: Bool, style: CellStyle = .plain) -> Cell { Cell(.boolean(value), style: style) }

    /// Whether `text` is a plain decimal number the writer puts in the file as a number:
    /// an optional minus, digits, and optionally a point followed by digits (at most 400 characters).
    public static func isPlainDecimal(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { plainDecimalFractionDigits($0) != nil }
    }

    /// The number of digits after the point, or nil when `u` is not a plain decimal.
    static func plainDecimalFractionDigits(_ u: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = u.count
        guard n > 0, n <= 400 else { return nil }
        var i = 0
        if u[0] == 0x2D { i = 1 }
        let integerStart = i
        while i < n && u[i] >= 0x30 && u[i] <= 0x39 { i += 1 }
        guard i > integerStart else { return nil }
        // Beyond ~308 integer digits a double overflows; Excel would refuse the file.
        guard i - integerStart <= 300 else { return nil }
        if i == n { return 0 }
        guard u[i] == 0x2E else { return nil }
        i += 1
        let fractionStart = i
        while i < n && u[i] >= 0x30 && u[i] <= 0x39 { i += 1 }
        guard i == n, i > fractionStart else { return nil }
        return n - fractionStart
    }
}

extension Cell: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self.init(.text(value)) }
    public init(integerLiteral value: Int) { self.init(.integer(value)) }
}

/// The named styles of the official tables. The set is fixed, so a style's index in `styles.xml` is
/// known while rows stream (and `styles.xml` is the same for every workbook).
public enum CellStyle: Sendable, Hashable {
    /// No border, general format (the default).
    case plain
    /// Table title: bold, 16 pt, centred (merge it across the table's columns).
    case title
    /// Line under the title (unit, period, 计量单位): centred.
    case subtitle
    /// Column or row header: bold, grey fill, thin border, centred both ways, wrapped.
    case header
    /// Text with a thin border, left-aligned.
    case text
    /// Text with a thin border, centred (codes, 代码, units of measure).
    case textCentered
    /// Text with a thin border, wrapped (long 指标 names). LibreOffice recomputes the height of
    /// rows with wrapped cells on opening, so avoid it in very long sheets.
    case textWrapped
    /// A number with a thin border, right-aligned, thousands separators and a fixed number of decimals
    /// (0…15); nil: as many decimals as the figure's decimal text has (integers: none).
    case number(decimals: Int? = nil)
    /// A cell that does not apply (不适用): grey fill, thin border.
    case notApplicable
    /// Notes under a table (注, 填表说明): 9 pt italic.
    case note

    public static let maxDecimals = 15

    /// Index in `cellXfs` for a value with `fractionDigits` decimals (used by `number(decimals: nil)`).
    @inline(__always) func index(fractionDigits: Int) -> Int {
        switch self {
        case .plain: 0
        case .title: 1
        case .subtitle: 2
        case .header: 3
        case .text: 4
        case .textCentered: 5
        case .textWrapped: 6
        case .notApplicable: 7
        case .note: 8
        case .number(let decimals): 9 + min(max(decimals ?? fractionDigits, 0), CellStyle.maxDecimals)
        }
    }
}

/// `xl/styles.xml`: fonts 宋体 (SimSun, the usual face of official tables); fills none, gray125
/// (required), header grey, not-applicable grey; borders none and thin; number formats `#,##0` and
/// `#,##0.0…` with 1…15 decimals.
enum Stylesheet {
    static let xml: [UInt8] = {
        var x = XMLBuffer()
        x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        x.raw("<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">")
        x.raw("<numFmts count=\"\(CellStyle.maxDecimals)\">")
        for d in 1...CellStyle.maxDecimals {
            x.raw("<numFmt numFmtId=\"\(163 + d)\" formatCode=\"#,##0.\(String(repeating: "0", count: d))\"/>")
        }
        x.raw("</numFmts>")
        func font(_ size: Int, bold: Bool = false, italic: Bool = false) -> String {
            "<font>" + (bold ? "<b/>" : "") + (italic ? "<i/>" : "")
                + "<sz val=\"\(size)\"/><name val=\"宋体\"/><family val=\"3\"/><charset val=\"134\"/></font>"
        }
        x.raw("<fonts count=\"4\">" + font(11) + font(16, bold: true) + font(11, bold: true) + font(9, italic: true) + "</fonts>")
        x.raw("<fills count=\"4\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>")
        x.raw("<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFD9D9D9\"/><bgColor indexed=\"64\"/></patternFill></fill>")
        x.raw("<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFBFBFBF\"/><bgColor indexed=\"64\"/></patternFill></fill></fills>")
        let side = "style=\"thin\"><color auto=\"1\"/>"
        x.raw("<borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border>")
        x.raw("<border><left \(side)</left><right \(side)</right><top \(side)</top><bottom \(side)</bottom><diagonal/></border></borders>")
        x.raw("<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>")
        var xfs: [String] = []
        func xf(numFmt: Int = 0, font: Int = 0, fill: Int = 0, border: Int = 0, horizontal: String? = nil, wrap: Bool = false, vcenter: Bool = false) {
            var s = "<xf numFmtId=\"\(numFmt)\" fontId=\"\(font)\" fillId=\"\(fill)\" borderId=\"\(border)\" xfId=\"0\""
            if numFmt != 0 { s += " applyNumberFormat=\"1\"" }
            if font != 0 { s += " applyFont=\"1\"" }
            if fill != 0 { s += " applyFill=\"1\"" }
            if border != 0 { s += " applyBorder=\"1\"" }
            if horizontal != nil || wrap || vcenter {
                s += " applyAlignment=\"1\"><alignment"
                if let horizontal { s += " horizontal=\"\(horizontal)\"" }
                if vcenter { s += " vertical=\"center\"" }
                if wrap { s += " wrapText=\"1\"" }
                s += "/></xf>"
            } else {
                s += "/>"
            }
            xfs.append(s)
        }
        xf()  // 0 plain
        xf(font: 1, horizontal: "center", vcenter: true)  // 1 title
        xf(horizontal: "center", vcenter: true)  // 2 subtitle
        xf(font: 2, fill: 2, border: 1, horizontal: "center", wrap: true, vcenter: true)  // 3 header
        xf(border: 1, horizontal: "left", vcenter: true)  // 4 text
        xf(border: 1, horizontal: "center", vcenter: true)  // 5 textCentered
        xf(border: 1, horizontal: "left", wrap: true, vcenter: true)  // 6 textWrapped
        xf(fill: 3, border: 1, horizontal: "center", vcenter: true)  // 7 notApplicable
        xf(font: 3, horizontal: "left", vcenter: true)  // 8 note
        for d in 0...CellStyle.maxDecimals {  // 9… number with d decimals
            xf(numFmt: d == 0 ? 3 : 163 + d, border: 1, horizontal: "right", vcenter: true)
        }
        x.raw("<cellXfs count=\"\(xfs.count)\">" + xfs.joined() + "</cellXfs>")
        x.raw("<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>")
        x.raw("<dxfs count=\"0\"/><tableStyles count=\"0\" defaultTableStyle=\"TableStyleMedium9\" defaultPivotStyle=\"PivotStyleLight16\"/>")
        x.raw("</styleSheet>")
        return x.bytes
    }()
}

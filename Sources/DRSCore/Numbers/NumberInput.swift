/// Reads a figure as a filer types it: `1234.5`, `1,234.5`, full-width `１２３４．５`, `-3`, `1.5e3`,
/// `45%` in a percentage cell. Anything else is refused with a reason — never read as a silent zero.
public enum NumberInput {
    /// Decimal places kept for any value: 10^-6 of a unit (1 MB of a TB; 0.01 元 of a 万元 is 10^-6 万元).
    public static let maximumDecimals = 6
    /// Largest magnitude accepted in a single cell (10^15).
    public static let maximumMagnitude = ExactDecimal(units: 1_000_000_000_000_000, scale: 0)

    /// Why a typed text is not a usable figure.
    public enum Problem: Error, Sendable, Equatable {
        case notANumber(String)
        case misplacedGrouping(String)
        case tooManyDecimals(String, allowed: Int)
        case tooLarge(String)

        /// The reason, in Chinese, as shown next to the cell.
        public var message: String {
            switch self {
            case .notANumber(let text): "「\(text)」不是数字"
            case .misplacedGrouping(let text): "「\(text)」的千分位逗号位置不对（应每三位一组，如 1,234,567.5）"
            case .tooManyDecimals(let text, let allowed): "「\(text)」小数位数过多（最多\(allowed)位）"
            case .tooLarge(let text): "「\(text)」数值过大（绝对值不能超过10的15次方）"
            }
        }

        public var code: String {
            switch self {
            case .notANumber: "not_a_number"
            case .misplacedGrouping: "misplaced_grouping"
            case .tooManyDecimals: "too_many_decimals"
            case .tooLarge: "too_large"
            }
        }
    }

    /// Parses a typed figure. Returns nil for an empty text (an empty cell).
    public static func parse(_ raw: String, allowPercentSign: Bool = false) throws(Problem) -> ExactDecimal? {
        if let plain = plainFigure(raw) { return plain }
        return try parseAnyForm(raw, allowPercentSign: allowPercentSign)
    }

    /// `-?digits(.digits)?` in ASCII, as nearly every stored or typed figure is, read straight from its
    /// bytes: the general reading walks the text by characters (full-width forms, spaces, grouping),
    /// and a save reads hundreds of figures. nil: not of that form, or not within the limits — the
    /// general reading then decides, and gives the reason. The same value either way (a test compares).
    static func plainFigure(_ raw: String) -> ExactDecimal? {
        let utf8 = raw.utf8
        var index = utf8.startIndex
        let negative = index != utf8.endIndex && utf8[index] == UInt8(ascii: "-")
        if negative { index = utf8.index(after: index) }
        var units: Int128 = 0
        var integerDigits = 0, sawInteger = false
        while index != utf8.endIndex, isDigit(utf8[index]) {
            let d = utf8[index] &- UInt8(ascii: "0")
            sawInteger = true
            if integerDigits > 0 || d != 0 { integerDigits += 1 }
            if integerDigits > 16 { return nil }
            guard let next = appending(d, to: units) else { return nil }
            units = next
            index = utf8.index(after: index)
        }
        guard sawInteger else { return nil }
        var scale = 0, trailingZeros = 0
        if index != utf8.endIndex, utf8[index] == UInt8(ascii: ".") {
            index = utf8.index(after: index)
            var fractionDigits = 0
            while index != utf8.endIndex, isDigit(utf8[index]) {
                let d = utf8[index] &- UInt8(ascii: "0")
                fractionDigits += 1
                if fractionDigits > 21 { return nil }   // 16 + 21 digits: inside 128 bits
                trailingZeros = d == 0 ? trailingZeros + 1 : 0
                guard let next = appending(d, to: units) else { return nil }
                units = next
                index = utf8.index(after: index)
            }
            guard fractionDigits > 0 else { return nil }
            scale = fractionDigits
        }
        guard index == utf8.endIndex else { return nil }
        // Trailing zeros after the decimal point do not count as decimals used.
        for _ in 0..<trailingZeros { units /= 10 }
        scale -= trailingZeros
        if units == 0 { return .zero }
        guard scale <= maximumDecimals else { return nil }
        let value = ExactDecimal(units: negative ? -units : units, scale: scale)
        return value.magnitude > maximumMagnitude ? nil : value
    }

    /// `units` with one more decimal digit, or nil past 128 bits.
    private static func appending(_ digit: UInt8, to units: Int128) -> Int128? {
        let (times10, o1) = units.multipliedReportingOverflow(by: 10)
        let (next, o2) = times10.addingReportingOverflow(Int128(digit))
        return o1 || o2 ? nil : next
    }

    /// Every form a filer may type (full-width, spaces, grouping, exponent, percent), or why not.
    static func parseAnyForm(_ raw: String, allowPercentSign: Bool) throws(Problem) -> ExactDecimal? {
        var text = normalizeWidth(raw).trimmingWhitespace()
        if text.isEmpty { return nil }
        if allowPercentSign, text.hasSuffix("%") { text = String(text.dropLast()).trimmingWhitespace() }
        let original = raw.trimmingWhitespace()

        var bytes = Array(text.utf8)
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        // Split off an exponent.
        var exponent = 0
        if let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            let expBytes = bytes[(e + 1)...]
            guard let value = parseExponent(expBytes) else { throw .notANumber(original) }
            exponent = value
            bytes = Array(bytes[..<e])
        }
        // Integer and fraction parts.
        let dot = bytes.firstIndex(of: UInt8(ascii: "."))
        let integerPart = dot.map { Array(bytes[..<$0]) } ?? bytes
        let fractionPart = dot.map { Array(bytes[($0 + 1)...]) } ?? []
        if integerPart.isEmpty && fractionPart.isEmpty { throw .notANumber(original) }
        guard fractionPart.allSatisfy(isDigit) else { throw .notANumber(original) }
        let integerDigits = try digitsRemovingGrouping(integerPart, original: original)
        if integerDigits.isEmpty && fractionPart.isEmpty { throw .notANumber(original) }

        // Exact value: digits × 10^(exponent - fraction length).
        var digits = integerDigits + fractionPart
        while digits.count > 1 && digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        var scale = fractionPart.count - exponent
        // Trailing zeros after the decimal point do not count as decimals used.
        while scale > 0, digits.count > 1, digits.last == UInt8(ascii: "0") { digits.removeLast(); scale -= 1 }
        if digits.allSatisfy({ $0 == UInt8(ascii: "0") }) { return .zero }
        if scale > maximumDecimals { throw .tooManyDecimals(original, allowed: maximumDecimals) }
        // Magnitude check before building the mantissa, so "1e999" cannot overflow anything.
        let integerLength = digits.count - scale
        if integerLength > 16 { throw .tooLarge(original) }
        var units: Int128 = 0
        // At most 22 digits (16 before the point, 6 after), far inside 128 bits; checked all the same.
        for d in digits {
            let (times10, o1) = units.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(Int128(d &- UInt8(ascii: "0")))
            if o1 || o2 { throw .tooLarge(original) }
            units = next
        }
        if scale < 0 {
            let (shifted, overflow) = units.multipliedReportingOverflow(by: ExactDecimal.pow10(-scale))
            if overflow || -scale > 38 { throw .tooLarge(original) }
            units = shifted
            scale = 0
        }
        let value = ExactDecimal(units: negative ? -units : units, scale: scale)
        if value.magnitude > maximumMagnitude { throw .tooLarge(original) }
        return value
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private static func parseExponent(_ bytes: ArraySlice<UInt8>) -> Int? {
        var slice = bytes
        var negative = false
        if let first = slice.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            slice = slice.dropFirst()
        }
        guard !slice.isEmpty, slice.count <= 4, slice.allSatisfy(isDigit) else { return nil }
        var value = 0
        for d in slice { value = value * 10 + Int(d - UInt8(ascii: "0")) }
        return negative ? -value : value
    }

    /// Removes thousands separators, insisting on groups of three.
    private static func digitsRemovingGrouping(_ bytes: [UInt8], original: String) throws(Problem) -> [UInt8] {
        guard bytes.contains(UInt8(ascii: ",")) else {
            guard bytes.allSatisfy(isDigit) else { throw .notANumber(original) }
            return bytes
        }
        let groups = bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        for (index, group) in groups.enumerated() {
            guard group.allSatisfy(isDigit) else { throw .notANumber(original) }
            let validLength = index == 0 ? (1...3).contains(group.count) : group.count == 3
            if !validLength { throw .misplacedGrouping(original) }
        }
        return groups.flatMap { $0 }
    }

    /// Full-width digits and signs (as typed with a Chinese input method) to ASCII.
    public static func normalizeWidth(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF10...0xFF19: scalars.append(Unicode.Scalar(UInt8(truncatingIfNeeded: scalar.value - 0xFF10 + 0x30)))
            case 0xFF0E: scalars.append(".")
            case 0xFF0C: scalars.append(",")
            case 0xFF0D, 0x2212: scalars.append("-")
            case 0xFF0B: scalars.append("+")
            case 0xFF05: scalars.append("%")
            case 0xFF45: scalars.append("e")
            case 0xFF25: scalars.append("E")
            case 0x3000, 0x00A0: scalars.append(" ")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs, line breaks and full-width spaces.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}

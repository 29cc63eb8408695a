/// An exact decimal number: `units × 10^-scale`, with a 128-bit integer mantissa.
///
/// Statistical values are never binary floating point: `0.1 + 0.2 == 0.3` holds here, and a rule such
/// as `73 = 74 + 75 + 76` is decided on exact integers. Addition, subtraction, multiplication and
/// comparison are exact; there is deliberately no division (the rule language has none either).
/// Arithmetic that would overflow 128 bits reports it instead of wrapping (`DecimalOverflow`).
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The mantissa.
    public var units: Int128
    /// Number of decimal places (0…36).
    public var scale: Int

    public static let maxScale = 36
    public static let zero = ExactDecimal(units: 0, scale: 0)

    public init(units: Int128, scale: Int) {
        precondition(scale >= 0 && scale <= Self.maxScale, "scale out of range")
        self.units = units
        self.scale = scale
    }

    public init(_ integer: Int) {
        self.init(units: Int128(integer), scale: 0)
    }

    static let powersOfTen: [Int128] = {
        var table: [Int128] = [1]
        for _ in 1...38 { table.append(table.last! * 10) }
        return table
    }()

    /// 10^n as an Int128 (n ≤ 38).
    static func pow10(_ n: Int) -> Int128 { powersOfTen[n] }

    /// The same value at a larger scale, or nil if the mantissa would overflow.
    public func rescaled(to newScale: Int) -> ExactDecimal? {
        if newScale == scale { return self }
        precondition(newScale > scale)
        let (product, overflow) = units.multipliedReportingOverflow(by: Self.pow10(newScale - scale))
        return overflow ? nil : ExactDecimal(units: product, scale: newScale)
    }

    /// The value with trailing zero decimals removed (1.500 → 1.5).
    public var normalized: ExactDecimal {
        var u = units, s = scale
        while s > 0 && u % 10 == 0 { u /= 10; s -= 1 }
        return ExactDecimal(units: u, scale: s)
    }

    public var isZero: Bool { units == 0 }
    public var isNegative: Bool { units < 0 }
    public var isInteger: Bool { scale == 0 || units % Self.pow10(scale) == 0 }
    /// Decimal places actually used (trailing zeros ignored).
    public var significantDecimals: Int { normalized.scale }
    public var magnitude: ExactDecimal { ExactDecimal(units: units < 0 ? -units : units, scale: scale) }

    /// Brings two decimals to a common scale; nil when that overflows.
    static func aligned(_ a: ExactDecimal, _ b: ExactDecimal) -> (Int128, Int128, Int)? {
        if a.scale == b.scale { return (a.units, b.units, a.scale) }
        let s = max(a.scale, b.scale)
        guard let x = a.rescaled(to: s), let y = b.rescaled(to: s) else { return nil }
        return (x.units, y.units, s)
    }

    public func adding(_ other: ExactDecimal) throws(DecimalOverflow) -> ExactDecimal {
        guard let (x, y, s) = Self.aligned(self, other) else { throw DecimalOverflow() }
        let (sum, overflow) = x.addingReportingOverflow(y)
        if overflow { throw DecimalOverflow() }
        return ExactDecimal(units: sum, scale: s)
    }

    public func subtracting(_ other: ExactDecimal) throws(DecimalOverflow) -> ExactDecimal {
        guard let (x, y, s) = Self.aligned(self, other) else { throw DecimalOverflow() }
        let (difference, overflow) = x.subtractingReportingOverflow(y)
        if overflow { throw DecimalOverflow() }
        return ExactDecimal(units: difference, scale: s)
    }

    public func multiplied(by other: ExactDecimal) throws(DecimalOverflow) -> ExactDecimal {
        let left = self.normalized, right = other.normalized
        if left.scale + right.scale > Self.maxScale { throw DecimalOverflow() }
        let (product, overflow) = left.units.multipliedReportingOverflow(by: right.units)
        if overflow { throw DecimalOverflow() }
        return ExactDecimal(units: product, scale: left.scale + right.scale)
    }

    public func negated() -> ExactDecimal { ExactDecimal(units: -units, scale: scale) }

    public static func < (a: ExactDecimal, b: ExactDecimal) -> Bool {
        if a.scale == b.scale { return a.units < b.units }
        if let (x, y, _) = aligned(a, b) { return x < y }
        // Alignment overflowed: the larger-scale side is tiny relative to the other's magnitude,
        // so comparing integer parts decides (the values differ by more than 1).
        let ai = a.units / pow10(a.scale), bi = b.units / pow10(b.scale)
        return ai < bi
    }

    public static func == (a: ExactDecimal, b: ExactDecimal) -> Bool {
        if a.scale == b.scale { return a.units == b.units }
        guard let (x, y, _) = aligned(a, b) else { return false }
        return x == y
    }

    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.units)
        hasher.combine(n.scale)
    }

    /// Plain decimal notation, no exponent, no grouping: `-1234.5`.
    public var description: String {
        let n = normalized
        let negative = n.units < 0
        var digits = String(negative ? -n.units : n.units)
        if n.scale > 0 {
            if digits.count <= n.scale { digits = String(repeating: "0", count: n.scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -n.scale))
        }
        return negative ? "-" + digits : digits
    }

    /// The value with thousands separators, as statisticians read it: `1,234,567.5`.
    public var grouped: String {
        let plain = description
        let negative = plain.hasPrefix("-")
        let body = negative ? String(plain.dropFirst()) : plain
        let parts = body.split(separator: ".", maxSplits: 1)
        var integer = String(parts[0])
        var index = integer.count - 3
        while index > 0 {
            integer.insert(",", at: integer.index(integer.startIndex, offsetBy: index))
            index -= 3
        }
        let result = parts.count > 1 ? integer + "." + parts[1] : integer
        return negative ? "-" + result : result
    }

    /// An approximate Double, for display of ratios only — never for decisions.
    public var approximateDouble: Double { Double(description) ?? .nan }
}

/// Raised when exact arithmetic would exceed 128 bits; the caller reports it, never wraps.
public struct DecimalOverflow: Error, Sendable {}

extension ExactDecimal: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}

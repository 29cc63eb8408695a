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

    /// A decimal from its mantissa and scale. A scale outside 0…36 is clamped to that range, never
    /// trapped on; arithmetic only ever builds scales it has checked (`checked(units:scale:)` when the
    /// scale comes from elsewhere).
    public init(units: Int128, scale: Int) {
        self.units = units
        self.scale = min(max(scale, 0), Self.maxScale)
    }

    /// A decimal from its mantissa and scale, or nil when the scale is outside 0…36.
    public static func checked(units: Int128, scale: Int) -> ExactDecimal? {
        (0...maxScale).contains(scale) ? ExactDecimal(units: units, scale: scale) : nil
    }

    public init(_ integer: Int) {
        self.init(units: Int128(integer), scale: 0)
    }

    static let powersOfTen: [Int128] = {
        var table: [Int128] = [1]
        var power: Int128 = 1
        for _ in 1...38 { power *= 10; table.append(power) }
        return table
    }()

    /// 10^n as an Int128 for 0 ≤ n ≤ 38; callers check n (see `rescaled(to:)`).
    static func pow10(_ n: Int) -> Int128 { powersOfTen[min(max(n, 0), 38)] }

    /// The same value at another scale, or nil when that is impossible: a larger scale whose mantissa
    /// would overflow, a smaller scale that would drop non-zero digits (12.3456 at scale 1), or a
    /// scale outside 0…36. Never traps, whichever way it is asked (issue #11, finding 3).
    public func rescaled(to newScale: Int) -> ExactDecimal? {
        guard (0...Self.maxScale).contains(newScale) else { return nil }
        if newScale == scale { return self }
        if newScale > scale {
            let (product, overflow) = units.multipliedReportingOverflow(by: Self.pow10(newScale - scale))
            return overflow ? nil : ExactDecimal(units: product, scale: newScale)
        }
        let divisor = Self.pow10(scale - newScale)
        guard units % divisor == 0 else { return nil }
        return ExactDecimal(units: units / divisor, scale: newScale)
    }

    /// The value rounded half away from zero to `places` decimals (0…36); more places than it has
    /// leave it as it is. Used for display (a percent change to tenths), never before a decision.
    public func rounded(toPlaces places: Int) -> ExactDecimal {
        let target = min(max(places, 0), Self.maxScale)
        guard target < scale else { return self }
        let divisor = Self.pow10(scale - target)
        let (quotient, remainder) = units.quotientAndRemainder(dividingBy: divisor)
        // |remainder| < divisor ≤ 10^36, so doubling it cannot overflow; |quotient| < 2^127 − 1.
        let up = remainder.magnitude * 2 >= divisor.magnitude
        return ExactDecimal(units: up ? (units < 0 ? quotient - 1 : quotient + 1) : quotient, scale: target)
    }

    /// The value with trailing zero decimals removed (1.500 → 1.5).
    public var normalized: ExactDecimal {
        // Most figures fit 64 bits, where division is one instruction rather than a 128-bit routine.
        if let small = Int64(exactly: units) {
            var u = small, s = scale
            while s > 0 && u % 10 == 0 { u /= 10; s -= 1 }
            return ExactDecimal(units: Int128(u), scale: s)
        }
        var u = units, s = scale
        while s > 0 && u % 10 == 0 { u /= 10; s -= 1 }
        return ExactDecimal(units: u, scale: s)
    }

    public var isZero: Bool { units == 0 }
    public var isNegative: Bool { units < 0 }
    public var isInteger: Bool { scale == 0 || units % Self.pow10(scale) == 0 }
    /// Decimal places actually used (trailing zeros ignored).
    public var significantDecimals: Int { normalized.scale }
    /// |value|. Arithmetic never produces the one mantissa without a positive counterpart
    /// (−2^127, see `checkedResult`); should a caller build it, it saturates rather than traps.
    public var magnitude: ExactDecimal { ExactDecimal(units: units < 0 ? (units == .min ? .max : -units) : units, scale: scale) }

    /// Brings two decimals to a common scale; nil when that overflows.
    static func aligned(_ a: ExactDecimal, _ b: ExactDecimal) -> (Int128, Int128, Int)? {
        if a.scale == b.scale { return (a.units, b.units, a.scale) }
        let s = max(a.scale, b.scale)
        guard let x = a.rescaled(to: s), let y = b.rescaled(to: s) else { return nil }
        return (x.units, y.units, s)
    }

    /// A result mantissa, refused when it overflowed or is −2^127 (whose negation would not fit), so
    /// every decimal arithmetic builds can be negated and compared without a trap.
    private static func checkedResult(_ value: Int128, overflow: Bool, scale: Int) throws(DecimalOverflow) -> ExactDecimal {
        if overflow || value == .min || scale > maxScale { throw DecimalOverflow() }
        return ExactDecimal(units: value, scale: scale)
    }

    public func adding(_ other: ExactDecimal) throws(DecimalOverflow) -> ExactDecimal {
        guard let (x, y, s) = Self.aligned(self, other) else { throw DecimalOverflow() }
        let (sum, overflow) = x.addingReportingOverflow(y)
        return try Self.checkedResult(sum, overflow: overflow, scale: s)
    }

    public func subtracting(_ other: ExactDecimal) throws(DecimalOverflow) -> ExactDecimal {
        guard let (x, y, s) = Self.aligned(self, other) else { throw DecimalOverflow() }
        let (difference, overflow) = x.subtractingReportingOverflow(y)
        return try Self.checkedResult(difference, overflow: overflow, scale: s)
    }

    public func multiplied(by other: ExactDecimal) throws(DecimalOverflow) -> ExactDecimal {
        let left = self.normalized, right = other.normalized
        if left.scale + right.scale > Self.maxScale { throw DecimalOverflow() }
        let (product, overflow) = left.units.multipliedReportingOverflow(by: right.units)
        return try Self.checkedResult(product, overflow: overflow, scale: left.scale + right.scale)
    }

    /// −value; −(−2^127) saturates to 2^127 − 1 (arithmetic never builds −2^127, see `checkedResult`).
    public func negated() -> ExactDecimal { ExactDecimal(units: units == .min ? .max : -units, scale: scale) }

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
        guard let magnitude = UInt64(exactly: n.units.magnitude) else { return n.wideDescription }
        // Every figure saved is written here: digits from the last one back, no intermediate strings.
        // At most max(20, scale + 1) ≤ 37 digits, a point and a sign.
        var out = [UInt8](repeating: 0, count: 40)
        var at = out.count, rest = magnitude, written = 0
        func put(_ byte: UInt8) {
            at -= 1
            out[at] = byte
        }
        repeat {
            put(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10))
            rest /= 10
            written += 1
            if written == n.scale { put(UInt8(ascii: ".")) }
        } while rest > 0 || written <= n.scale
        if n.units < 0 { put(UInt8(ascii: "-")) }
        return String(decoding: out[at...], as: UTF8.self)
    }

    /// `description` of a mantissa beyond 64 bits.
    private var wideDescription: String {
        var digits = String(units.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return units < 0 ? "-" + digits : digits
    }

    /// The value with thousands separators, as statisticians read it: `1,234,567.5`.
    public var grouped: String {
        let plain = description
        let negative = plain.hasPrefix("-")
        let body = negative ? String(plain.dropFirst()) : plain
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var integer = String(parts.first ?? "0")
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

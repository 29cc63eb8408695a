/// Exact division and comparison of ratios on 128-bit integers, for aggregation and follow-up lists.
///
/// The rule language has no division, but a weighted mean Σ(w·v)/Σw and a change in percent must be
/// divided once to be shown. These helpers divide exactly and round once (half away from zero), and
/// compare products in 256 bits, so no published figure or flag depends on binary floating point.
enum ExactRatio {
    /// `numerator / (denominator × factor)` rounded half away from zero; nil when the denominator is
    /// 0, the factor is not positive, or the result (only +2^127, from −2^127 / −1) does not fit.
    ///
    /// Never overflows, even when `denominator × factor` would not fit: it divides in two steps and
    /// decides the rounding from the remainders (see the comment in the body).
    static func roundedQuotient(_ numerator: Int128, _ denominator: Int128, factor: Int128 = 1) -> Int128? {
        guard denominator != 0, factor > 0 else { return nil }
        let negative = (numerator < 0) != (denominator < 0)
        let n = numerator.magnitude, d = denominator.magnitude, k = UInt128(factor)
        // n / (d·k) = q2 + (r2·d + r1) / (k·d), where q1 = n / d, r1 = n % d, q2 = q1 / k, r2 = q1 % k.
        // Round up iff 2(r2·d + r1) ≥ k·d ⟺ 2·r1 ≥ (k − 2·r2)·d; with 0 ≤ r1 < d this holds when
        // k − 2·r2 ≤ 0, fails when k − 2·r2 ≥ 2, and otherwise (k − 2·r2 = 1) means r1 ≥ d − r1.
        let q1 = n / d, r1 = n % d
        let q2 = q1 / k, r2 = q1 % k
        let up: Bool
        if r2 >= k - r2 { up = true }                 // k − 2·r2 ≤ 0
        else if k - r2 - r2 >= 2 { up = false }
        else { up = r1 >= d - r1 }
        let magnitude = q2 + (up ? 1 : 0)
        // |result| ≤ |numerator| + 1 ≤ 2^127: −2^127 is representable, +2^127 is not.
        if negative { return magnitude <= UInt128(Int128.max) + 1 ? Int128(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt128(Int128.max) ? Int128(magnitude) : nil
    }

    /// Compares `a × b` with `c × d` exactly (full 256-bit products): −1, 0 or 1.
    static func compareProducts(_ a: Int128, _ b: Int128, _ c: Int128, _ d: Int128) -> Int {
        let left = a.multipliedFullWidth(by: b), right = c.multipliedFullWidth(by: d)
        if left.high != right.high { return left.high < right.high ? -1 : 1 }
        if left.low != right.low { return left.low < right.low ? -1 : 1 }
        return 0
    }

    /// `(value − last) / |last| × 100`, rounded to `decimals` places; nil when last is 0 or on overflow.
    /// Both figures are millionths (the scale of `CellValues`).
    static func percentChange(value: Int128, last: Int128, decimals: Int = 1) -> ExactDecimal? {
        guard last != 0, last != .min, (0...ExactDecimal.maxScale - 2).contains(decimals) else { return nil }
        let (difference, o1) = value.subtractingReportingOverflow(last)
        // The result in units of 10^-decimals: difference × 100 × 10^decimals / |last|.
        let (scaled, o2) = difference.multipliedReportingOverflow(by: 100 * ExactDecimal.pow10(decimals))
        if o1 || o2 { return nil }
        guard let units = roundedQuotient(scaled, last < 0 ? -last : last) else { return nil }
        return ExactDecimal(units: units, scale: decimals)
    }

    /// `value / total` as a Double: for ranking and display only, never for a decision.
    static func approximateShare(_ value: Int128, of total: Int128) -> Double? {
        total == 0 ? nil : Double(value) / Double(total)
    }
}

extension ExactDecimal {
    /// `(self − last) / |last| × 100`, rounded half away from zero to `decimals` places (0…34); nil
    /// when last year's figure is 0 or the figures are too far apart in scale or size to compare.
    /// The two figures may have different scales (12.3456 against 12.3): both are brought to the
    /// larger one first, which is exact, so the change never depends on how many decimals were typed.
    public func percentChange(from last: ExactDecimal, decimals: Int = 1) -> ExactDecimal? {
        guard let (value, base, _) = Self.aligned(self, last) else { return nil }
        return ExactRatio.percentChange(value: value, last: base, decimals: decimals)
    }

    /// A percent change as shown to people: `+75.0%`, `-3.5%`, `0.0%`, with its decimals written out.
    public var signedPercentText: String {
        let sign = units > 0 ? "+" : (units < 0 ? "-" : "")
        let digits = String(units.magnitude)
        guard scale > 0 else { return sign + digits + "%" }
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        return sign + padded.dropLast(scale) + "." + padded.suffix(scale) + "%"
    }
}

extension ExactDecimal {
    /// `self / denominator × factor`, rounded half away from zero to `decimals` places: shares in
    /// percent (factor 100) and readable units (TB → ZB is factor 1/10^9, given as `divisor`).
    /// nil when the denominator is 0 or the figures do not fit; exact, never binary floating point.
    public func quotient(dividedBy denominator: ExactDecimal, times factor: Int = 1, decimals: Int) -> ExactDecimal? {
        guard factor > 0, (0...ExactDecimal.maxScale - 2).contains(decimals),
              let (numerator, base, _) = Self.aligned(self, denominator) else { return nil }
        let (scaled, o1) = numerator.multipliedReportingOverflow(by: Int128(factor))
        let (shifted, o2) = scaled.multipliedReportingOverflow(by: ExactDecimal.pow10(decimals))
        if o1 || o2 { return nil }
        return ExactRatio.roundedQuotient(shifted, base).map { ExactDecimal(units: $0, scale: decimals) }
    }
}

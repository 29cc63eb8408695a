/// The rounding policy (docs/rounding.md): a figure written with d ≥ 1 decimals stands for any value
/// within half a unit of its last decimal (12.35 TB for 12.345…12.355), so a total and the sum of its
/// rounded parts may honestly differ by up to the sum of those half units. A sum rule (`=`, `≥`, `≤`
/// between at least two cells) that fails by no more than that is reported as a note, not an error.
/// A whole number is read as exact: a filer who rounded to whole units can give the decimals.
///
/// Exact, with no allowance: cells whose unit is a whole count (个, 人, …), strict comparisons
/// (`>`, `<`, `≠`), a single cell against a literal (non-negative, ≤ 100 %), rules with a product,
/// `abs`, `min`/`max`, `last(…)` or a `when` (year over year, cross-period), and literals themselves.
enum RoundingAllowance {
    /// Twice a figure's half unit of its last decimal, in millionths: 10^(6 − decimals); 0 for a
    /// whole number (exact). Doubling keeps it an integer for six decimals (half a millionth).
    @inline(__always)
    static func doubledHalfUnit(_ millionths: Int128) -> Int128 {
        var u = millionths.magnitude
        var trailingZeros = 0
        while trailingZeros < CellValues.scale && u % 10 == 0 && u != 0 { u /= 10; trailingZeros += 1 }
        if millionths == 0 || trailingZeros >= CellValues.scale { return 0 }
        return ExactDecimal.pow10(trailingZeros)
    }

    /// Whether a linear rule may fall back on the allowance: a non-strict comparison of at least two
    /// cells, one of which (at least) is measured in a unit that takes decimals.
    static func applies(plus: [Int], minus: [Int], op: ComparisonOperator, roundable: [Bool]) -> Bool {
        guard op == .equal || op == .greaterOrEqual || op == .lessOrEqual, plus.count + minus.count >= 2 else { return false }
        return (plus + minus).contains { roundable.indices.contains($0) && roundable[$0] }
    }

    /// Whether `d op 0` (d = left − right, in millionths) holds once every filled, roundable cell
    /// may move by half a unit of its last decimal. `allowance` is the doubled sum of those halves.
    @inline(__always)
    static func holds(difference d: Int128, op: ComparisonOperator, allowance: Int128) -> Bool {
        let (doubled, overflow) = d.multipliedReportingOverflow(by: 2)
        if overflow { return false }
        switch op {
        case .equal: return doubled.magnitude <= allowance.magnitude
        case .greaterOrEqual: return doubled + allowance >= 0
        case .lessOrEqual: return doubled - allowance <= 0
        case .greater, .less, .notEqual: return false
        }
    }
}

/// How a failed sum rule compares with the allowance, for the note shown to filer and reviewer.
public struct RoundingDifference: Sendable, Equatable {
    /// |left − right|.
    public var difference: ExactDecimal
    /// The largest difference rounding explains: the sum of half units of the figures' last decimals.
    public var allowance: ExactDecimal
}

extension CompiledForm {
    /// The difference and allowance of a linear bound rule, for its note; nil for other rules.
    func roundingDifference(_ rule: BoundRule, _ values: CellValues) -> RoundingDifference? {
        guard case .linear(let plus, let minus, let constant, _)? = rule.fastPath else { return nil }
        var d = constant
        var allowance: Int128 = 0
        for s in plus { d &+= values.units[s] }
        for s in minus { d &-= values.units[s] }
        for s in plus + minus where values.present[s] && roundable[s] { allowance &+= RoundingAllowance.doubledHalfUnit(values.units[s]) }
        // Halve the doubled allowance at one more decimal (scale 7) so that half a millionth stays exact.
        return RoundingDifference(difference: ExactDecimal(units: Int128(clamping: d.magnitude), scale: CellValues.scale).normalized,
                                  allowance: ExactDecimal(units: allowance &* 5, scale: CellValues.scale + 1).normalized)
    }
}

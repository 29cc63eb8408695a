/// The year-over-year list: cells of 本年实际 whose change against last year's figure exceeds the
/// survey's threshold — the same test as the year-over-year rule (`abs(x − last) × 100 > threshold ×
/// abs(last)`, not checked when abs(last) < minimumBase, nor when either figure is missing), decided on
/// exact integers.
enum YearOverYearScan {
    static let column: ColumnID = "cur"

    static func flagged(_ units: [FollowUpUnit], form: CompiledForm, policy: YearOverYearPolicy) -> [(unit: Int, slot: Int)] {
        let slots = form.layout.cells.indices.filter { form.layout.cells[$0].key.column == column }
        let threshold = policy.threshold.value.normalized
        precondition(threshold.scale <= 30, "year-over-year threshold has too many decimals")
        // |Δ| × 100 × 10^s > t × |last|, both sides in units of 10^-(6+s).
        let hundred = 100 * ExactDecimal.pow10(threshold.scale)
        let minimumBase = millionthsAtLeast(policy.minimumBase.value)
        var found: [(unit: Int, slot: Int)] = []
        for (u, unit) in units.enumerated() {
            guard let last = unit.lastYear else { continue }
            unit.values.units.withUnsafeBufferPointer { v in
                unit.values.present.withUnsafeBufferPointer { vFilled in
                    last.units.withUnsafeBufferPointer { l in
                        last.present.withUnsafeBufferPointer { lFilled in
                            for slot in slots where vFilled[slot] && lFilled[slot] {
                                guard l[slot] != .min else { continue }
                                let base = l[slot] < 0 ? -l[slot] : l[slot]
                                if base < minimumBase { continue }
                                let (difference, overflow) = v[slot].subtractingReportingOverflow(l[slot])
                                // A difference beyond 128 bits is beyond any threshold a survey would set: listed.
                                if overflow || difference == .min { found.append((u, slot)); continue }
                                let change = difference < 0 ? -difference : difference
                                if ExactRatio.compareProducts(change, hundred, threshold.units, base) > 0 { found.append((u, slot)) }
                            }
                        }
                    }
                }
            }
        }
        return found
    }

    /// The least number of millionths that is ≥ `value` (a figure in millionths is below `value`
    /// exactly when it is below this), so the minimum base is compared on integers.
    static func millionthsAtLeast(_ value: ExactDecimal) -> Int128 {
        let n = value.normalized
        if n.scale <= CellValues.scale {
            return n.rescaled(to: CellValues.scale)?.units ?? (n.isNegative ? .min : .max)
        }
        let step = ExactDecimal.pow10(n.scale - CellValues.scale)
        let (q, r) = n.units.quotientAndRemainder(dividingBy: step)
        return r > 0 ? q + 1 : q
    }
}

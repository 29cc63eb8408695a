/// What checking one bound rule on one submission gives.
enum RuleOutcome {
    case holds
    /// Every cell the rule names is empty (or last year's figure is unknown, or the `when` is false).
    case skipped
    case violated
    /// A sum rule that fails only by what rounding explains (RoundingAllowance): a note, not an error.
    case withinRounding
    /// The figures are too large to compare exactly: reported as an error, never guessed.
    case overflow
}

extension BoundRule {
    /// Checks the rule. Empty cells count as 0; the rule is skipped when all its cells are empty.
    func evaluate(_ values: CellValues, lastYear: CellValues?) -> RuleOutcome {
        var anyPresent = false
        for slot in currentSlots where values.present[slot] { anyPresent = true; break }
        if !anyPresent { return .skipped }
        if !lastYearSlots.isEmpty {
            guard let lastYear else { return .skipped }
            for slot in lastYearSlots where !lastYear.present[slot] { return .skipped }
        }
        if let fastPath {
            switch fastPath {
            case .integer(let slot):
                return values.units[slot] % CellValues.unit == 0 ? .holds : .violated
            case .linear(let plus, let minus, let constant, let op):
                // |value| ≤ 10^21 in millionths, so even hundreds of terms stay far inside Int128.
                var d = constant
                for s in plus { d &+= values.units[s] }
                for s in minus { d &-= values.units[s] }
                return op.holdsForDifference(d) ? .holds : .violated
            }
        }
        do {
            if let guardCondition, try !guardCondition.test(values, lastYear) { return .skipped }
            return try condition.test(values, lastYear) ? .holds : .violated
        } catch {
            return .overflow
        }
    }
}

extension BoundCondition {
    func test(_ values: CellValues, _ lastYear: CellValues?) throws(DecimalOverflow) -> Bool {
        switch self {
        case .comparison(let a, let op, let b):
            return op.holds(try a.value(values, lastYear), try b.value(values, lastYear))
        case .integer(let e): return try e.value(values, lastYear).isInteger
        case .and(let a, let b):
            if try !a.test(values, lastYear) { return false }
            return try b.test(values, lastYear)
        case .or(let a, let b):
            if try a.test(values, lastYear) { return true }
            return try b.test(values, lastYear)
        case .not(let c): return try !c.test(values, lastYear)
        }
    }
}

extension BoundExpression {
    func value(_ values: CellValues, _ lastYear: CellValues?) throws(DecimalOverflow) -> ExactDecimal {
        switch self {
        case .constant(let v): return v
        case .cell(let slot): return values[slot] ?? .zero
        case .lastYearCell(let slot): return lastYear?[slot] ?? .zero
        case .sum(let parts):
            var total = ExactDecimal.zero
            for p in parts { total = try total.adding(try p.value(values, lastYear)) }
            return total
        case .negate(let x): return try x.value(values, lastYear).negated()
        case .binary(let op, let a, let b):
            let x = try a.value(values, lastYear), y = try b.value(values, lastYear)
            switch op {
            case .add: return try x.adding(y)
            case .subtract: return try x.subtracting(y)
            case .multiply: return try x.multiplied(by: y)
            }
        case .abs(let x): return try x.value(values, lastYear).magnitude
        case .min(let xs):
            var best = try xs[0].value(values, lastYear)
            for x in xs.dropFirst() { best = Swift.min(best, try x.value(values, lastYear)) }
            return best
        case .max(let xs):
            var best = try xs[0].value(values, lastYear)
            for x in xs.dropFirst() { best = Swift.max(best, try x.value(values, lastYear)) }
            return best
        }
    }
}

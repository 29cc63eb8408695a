/// Plausible figures for a form that satisfy its printed and implied rules: for tests, benchmarks
/// and the demo database. Deterministic for a given seed.
public enum SampleSubmissions {
    /// A small, fast, seedable generator (SplitMix64): the same seed always gives the same figures.
    public struct Generator: Sendable {
        private var state: UInt64
        public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        public mutating func int(in range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
        }
    }

    /// Figures for every cell the unit fills, satisfying every printed and implied rule of the form.
    /// With `lastYear`, 上年同期 repeats last year's 本年实际 and 本年实际 grows modestly from it.
    public static func clean(_ form: CompiledForm, seed: UInt64, profile: UnitProfile = UnitProfile(),
                             lastYear: CellValues? = nil, units: [String: MeasureUnit]) -> CellValues {
        var random = Generator(seed: seed)
        var values = CellValues(count: form.layout.count)
        let unitScale = CellValues.unit
        for (slot, cell) in form.layout.cells.enumerated() {
            if let applies = cell.appliesTo, !applies.applies(to: profile) { continue }
            let unit = units[cell.unit]
            let whole: Int128
            switch unit?.kind {
            case .share?: whole = Int128(random.int(in: 5...95))
            case .duration?: whole = Int128(random.int(in: 1...300))
            case .count? where unit?.isInteger == true: whole = Int128(random.int(in: 1...500))
            default: whole = Int128(random.int(in: 1...5_000))
            }
            var units128 = whole * unitScale
            if unit?.isInteger != true && unit?.kind != .share { units128 += Int128(random.int(in: 0...99)) * unitScale / 100 }
            if let lastYear, lastYear.present[slot] {
                if cell.key.column == "prev", let curSlot = form.layout.slot(code: cell.key.code, column: "cur", member: cell.key.member),
                   lastYear.present[curSlot] {
                    units128 = lastYear.units[curSlot]
                } else if cell.key.column == "cur" {
                    // Modest growth, whole units for counts.
                    let grown = lastYear.units[slot] * Int128(100 + random.int(in: 0...20)) / 100
                    units128 = unit?.isInteger == true ? grown / unitScale * unitScale : grown
                }
            }
            values[slot] = ExactDecimal(units: units128, scale: CellValues.scale)
        }
        repair(&values, form: form, random: &random, units: units)
        return values
    }

    /// Raises left-hand sides (and lowers capped shares) until every printed and implied rule holds.
    static func repair(_ values: inout CellValues, form: CompiledForm, random: inout Generator, units: [String: MeasureUnit]) {
        let rules = form.bound.filter { form.rules[$0.ruleIndex].rule.origin != .template }
        for _ in 0..<200 {
            var changed = false
            for rule in rules {
                guard case .linear(let plus, let minus, let constant, let op)? = rule.fastPath, let target = plus.first else { continue }
                guard values.present[target] || minus.contains(where: { values.present[$0] }) else { continue }
                var d = constant
                for s in plus { d += values.units[s] }
                for s in minus { d -= values.units[s] }
                if op.holdsForDifference(d) { continue }
                let isInteger = units[form.layout.cells[target].unit]?.isInteger ?? false
                var adjusted = values.units[target]
                switch op {
                case .greaterOrEqual, .greater:
                    let slack = Int128(random.int(in: 0...30)) * CellValues.unit
                    adjusted += -d + slack + (op == .greater ? CellValues.unit : 0)
                case .equal: adjusted -= d
                case .less, .lessOrEqual: adjusted -= d + (op == .less ? CellValues.unit : 0)
                case .notEqual: adjusted += CellValues.unit
                }
                if isInteger, adjusted % CellValues.unit != 0 { adjusted = (adjusted / CellValues.unit + 1) * CellValues.unit }
                if adjusted < 0 { adjusted = 0 }
                values[target] = ExactDecimal(units: adjusted, scale: CellValues.scale)
                changed = true
            }
            if !changed { return }
        }
    }
}

/// All bound rules of a form in flat, reference-free arrays: the loop that checks a submission
/// touches no reference counts and no dictionaries, so one check takes microseconds.
struct RuleTable: Sendable {
    enum Kind: UInt8, Sendable { case linear, integer, bytecode }

    struct Entry: Sendable {
        var kind: Kind
        var op: ComparisonOperator
        var constant: Int128
        var plusStart: Int32, plusCount: Int32
        var minusStart: Int32, minusCount: Int32
        var currentStart: Int32, currentCount: Int32
        var lastStart: Int32, lastCount: Int32
        var codeStart: Int32, codeCount: Int32
        var guardStart: Int32, guardCount: Int32
        /// A sum rule that a rounding difference may satisfy (RoundingAllowance).
        var rounding: Bool
    }

    private(set) var entries: [Entry] = []
    private(set) var slots: [Int32] = []
    private(set) var code: [Instruction] = []
    private(set) var stackDepth = 1
    /// Per slot: whether its unit takes decimals, so that its figures may be rounded.
    private(set) var roundable: [Bool] = []

    init(_ bound: [BoundRule], roundable: [Bool]) {
        self.roundable = roundable
        for rule in bound {
            var e = Entry(kind: .bytecode, op: .equal, constant: 0, plusStart: 0, plusCount: 0, minusStart: 0, minusCount: 0,
                          currentStart: 0, currentCount: 0, lastStart: 0, lastCount: 0, codeStart: 0, codeCount: 0,
                          guardStart: 0, guardCount: 0, rounding: false)
            (e.currentStart, e.currentCount) = append(rule.currentSlots)
            (e.lastStart, e.lastCount) = append(rule.lastYearSlots)
            switch rule.fastPath {
            case .linear(let plus, let minus, let constant, let op)?:
                e.kind = .linear
                e.op = op
                e.constant = constant
                e.rounding = RoundingAllowance.applies(plus: plus, minus: minus, op: op, roundable: roundable)
                (e.plusStart, e.plusCount) = append(plus)
                (e.minusStart, e.minusCount) = append(minus)
            case .integer(let slot)?:
                e.kind = .integer
                (e.plusStart, e.plusCount) = append([slot])
            case nil:
                // CompiledForm refuses rules whose scales exceed 36 digits, so compilation succeeds here.
                (e.codeStart, e.codeCount) = append(Bytecode.compile(rule.condition)!)
                if let guardCondition = rule.guardCondition, let g = Bytecode.compile(guardCondition) {
                    (e.guardStart, e.guardCount) = append(g)
                }
            }
            entries.append(e)
        }
    }

    private mutating func append(_ list: [Int]) -> (Int32, Int32) {
        let start = Int32(slots.count)
        slots += list.map { Int32($0) }
        return (start, Int32(list.count))
    }

    private mutating func append(_ program: Bytecode) -> (Int32, Int32) {
        let start = Int32(code.count)
        code += program.code
        stackDepth = max(stackDepth, program.depth)
        return (start, Int32(program.code.count))
    }

    /// Calls `report` with the index and outcome of every rule that does not hold.
    func evaluate(_ values: CellValues, lastYear: CellValues?, report: (Int, RuleOutcome) -> Void) {
        entries.withUnsafeBufferPointer { entries in
        slots.withUnsafeBufferPointer { slots in
        code.withUnsafeBufferPointer { code in
        values.units.withUnsafeBufferPointer { units in
        values.present.withUnsafeBufferPointer { present in
        roundable.withUnsafeBufferPointer { roundable in
        withLastYear(lastYear) { lastUnits, lastPresent in
        withUnsafeTemporaryAllocation(of: Int128.self, capacity: stackDepth + 1) { stack in
            let unit = CellValues.unit
            for index in 0..<entries.count {
                let e = entries[index]
                guard Self.applies(e, slots, present, lastPresent) else { continue }
                switch e.kind {
                case .linear:
                    var d = e.constant
                    for k in Int(e.plusStart)..<Int(e.plusStart + e.plusCount) { d &+= units[Int(slots[k])] }
                    for k in Int(e.minusStart)..<Int(e.minusStart + e.minusCount) { d &-= units[Int(slots[k])] }
                    if !e.op.holdsForDifference(d) {
                        let rounded = e.rounding && Self.holdsWithinRounding(e, d, slots, units, present, roundable)
                        report(index, rounded ? .withinRounding : .violated)
                    }
                case .integer:
                    if units[Int(slots[Int(e.plusStart)])] % unit != 0 { report(index, .violated) }
                case .bytecode:
                    guard let stackBase = stack.baseAddress else { report(index, .overflow); continue }
                    if e.guardCount > 0 {
                        let guardCode = UnsafeBufferPointer(rebasing: code[Int(e.guardStart)..<Int(e.guardStart + e.guardCount)])
                        switch Bytecode.run(guardCode, units: units, lastYear: lastUnits, stack: stackBase) {
                        case nil: report(index, .overflow); continue
                        case false?: continue
                        case true?: break
                        }
                    }
                    let ruleCode = UnsafeBufferPointer(rebasing: code[Int(e.codeStart)..<Int(e.codeStart + e.codeCount)])
                    switch Bytecode.run(ruleCode, units: units, lastYear: lastUnits, stack: stackBase) {
                    case nil: report(index, .overflow)
                    case false?: report(index, .violated)
                    case true?: break
                    }
                }
            }
        }
        }
        }
        }
        }
        }
        }
        }
    }

    /// Whether a rule is checked at all: not when every cell of this year that it names is empty, nor
    /// when last year's figures it needs are not known.
    @inline(__always)
    private static func applies(_ e: Entry, _ slots: UnsafeBufferPointer<Int32>, _ present: UnsafeBufferPointer<Bool>,
                                _ lastPresent: UnsafeBufferPointer<Bool>?) -> Bool {
        var anyPresent = false
        for k in Int(e.currentStart)..<Int(e.currentStart + e.currentCount) where present[Int(slots[k])] { anyPresent = true; break }
        if !anyPresent { return false }
        guard e.lastCount > 0 else { return true }
        guard let lastPresent else { return false }
        for k in Int(e.lastStart)..<Int(e.lastStart + e.lastCount) where !lastPresent[Int(slots[k])] { return false }
        return true
    }

    /// A failed sum rule that the rounding of its filled figures explains (RoundingAllowance).
    @inline(__always)
    private static func holdsWithinRounding(_ e: Entry, _ d: Int128, _ slots: UnsafeBufferPointer<Int32>,
                                            _ units: UnsafeBufferPointer<Int128>, _ present: UnsafeBufferPointer<Bool>,
                                            _ roundable: UnsafeBufferPointer<Bool>) -> Bool {
        var allowance: Int128 = 0
        for range in [Int(e.plusStart)..<Int(e.plusStart + e.plusCount), Int(e.minusStart)..<Int(e.minusStart + e.minusCount)] {
            for k in range {
                let s = Int(slots[k])
                if present[s] && roundable[s] { allowance &+= RoundingAllowance.doubledHalfUnit(units[s]) }
            }
        }
        return RoundingAllowance.holds(difference: d, op: e.op, allowance: allowance)
    }

    private func withLastYear(_ lastYear: CellValues?,
                              _ body: (UnsafeBufferPointer<Int128>?, UnsafeBufferPointer<Bool>?) -> Void) {
        guard let lastYear else { return body(nil, nil) }
        lastYear.units.withUnsafeBufferPointer { u in lastYear.present.withUnsafeBufferPointer { p in body(u, p) } }
    }
}


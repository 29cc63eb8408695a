/// Rules that are not simple sums (year-over-year checks, products, abs, min, max, and/or) compiled to
/// a tiny stack machine over 128-bit integers.
///
/// Every sub-expression has a decimal scale known at compile time (a cell is in millionths, `0.5` has
/// one decimal, a product adds scales), so the machine aligns operands with precomputed powers of ten
/// and never needs a decimal type at run time. Arithmetic is checked: overflow is reported, not wrapped.
enum Instruction: Sendable {
    case cell(Int32)
    case lastYearCell(Int32)
    case constant(Int128)
    /// Multiplies the top of the stack by a power of ten (aligning scales).
    case scaleUp(Int128)
    case add, subtract, multiply, negate, abs, min, max
    case compare(ComparisonOperator)
    /// Replaces the top by 1 when it is a multiple of the given unit (a whole number), else 0.
    case isMultiple(Int128)
    case and, or, not
}

struct Bytecode: Sendable {
    var code: [Instruction] = []
    var depth = 0
    private var current = 0

    static let cellScale = CellValues.scale

    /// Compiles a condition; nil when it cannot be compiled (scales beyond 36 digits).
    static func compile(_ condition: BoundCondition) -> Bytecode? {
        var program = Bytecode()
        guard program.emit(condition) else { return nil }
        return program
    }

    private mutating func push(_ i: Instruction, delta: Int) {
        code.append(i)
        current += delta
        depth = Swift.max(depth, current)
    }

    private mutating func emit(_ condition: BoundCondition) -> Bool {
        switch condition {
        case .comparison(let a, let op, let b):
            guard let sa = Self.scale(of: a), let sb = Self.scale(of: b) else { return false }
            let target = Swift.max(sa, sb)
            guard emit(a) else { return false }
            if sa < target { push(.scaleUp(ExactDecimal.pow10(target - sa)), delta: 0) }
            guard emit(b) else { return false }
            if sb < target { push(.scaleUp(ExactDecimal.pow10(target - sb)), delta: 0) }
            push(.compare(op), delta: -1)
        case .integer(let e):
            guard let s = Self.scale(of: e), emit(e) else { return false }
            push(.isMultiple(ExactDecimal.pow10(s)), delta: 0)
        case .and(let a, let b):
            guard emit(a), emit(b) else { return false }
            push(.and, delta: -1)
        case .or(let a, let b):
            guard emit(a), emit(b) else { return false }
            push(.or, delta: -1)
        case .not(let c):
            guard emit(c) else { return false }
            push(.not, delta: 0)
        }
        return true
    }

    private mutating func emit(_ e: BoundExpression) -> Bool {
        switch e {
        case .constant(let v):
            let n = v.normalized
            push(.constant(n.units), delta: 1)
        case .cell(let slot): push(.cell(Int32(slot)), delta: 1)
        case .lastYearCell(let slot): push(.lastYearCell(Int32(slot)), delta: 1)
        case .negate(let x):
            guard emit(x) else { return false }
            push(.negate, delta: 0)
        case .abs(let x):
            guard emit(x) else { return false }
            push(.abs, delta: 0)
        case .binary(.multiply, let a, let b):
            guard emit(a), emit(b) else { return false }
            push(.multiply, delta: -1)
        case .binary(let op, let a, let b):
            return emitAligned([a, b], op == .add ? .add : .subtract)
        case .sum(let parts):
            return emitAligned(parts, .add)
        case .min(let parts):
            return emitAligned(parts, .min)
        case .max(let parts):
            return emitAligned(parts, .max)
        }
        return true
    }

    /// Emits operands folded with `op`, each brought to the common scale.
    private mutating func emitAligned(_ parts: [BoundExpression], _ op: Instruction) -> Bool {
        let scales = parts.map(Self.scale(of:))
        guard !scales.contains(nil), let target = scales.compactMap({ $0 }).max() else { return false }
        for (i, part) in parts.enumerated() {
            guard emit(part), let s = scales[i] else { return false }
            if s < target { push(.scaleUp(ExactDecimal.pow10(target - s)), delta: 0) }
            if i > 0 { push(op, delta: -1) }
        }
        return true
    }

    /// The decimal scale of an expression's value.
    static func scale(of e: BoundExpression) -> Int? {
        let s: Int?
        switch e {
        case .constant(let v): s = v.normalized.scale
        case .cell, .lastYearCell: s = cellScale
        case .negate(let x), .abs(let x): s = scale(of: x)
        case .binary(.multiply, let a, let b):
            guard let x = scale(of: a), let y = scale(of: b) else { return nil }
            s = x + y
        case .binary(_, let a, let b):
            guard let x = scale(of: a), let y = scale(of: b) else { return nil }
            s = Swift.max(x, y)
        case .sum(let parts), .min(let parts), .max(let parts):
            let scales = parts.map(scale(of:))
            guard !scales.contains(nil) else { return nil }
            s = scales.compactMap { $0 }.max()
        }
        guard let s, s <= ExactDecimal.maxScale else { return nil }
        return s
    }
}

extension Bytecode {
    /// Runs a program; nil on arithmetic overflow. `stack` must hold at least the program's depth.
    @inline(__always)
    static func run(_ code: UnsafeBufferPointer<Instruction>, units: UnsafeBufferPointer<Int128>,
                    lastYear: UnsafeBufferPointer<Int128>?, stack: UnsafeMutablePointer<Int128>) -> Bool? {
        var top = -1
        for instruction in code {
            switch instruction {
            case .cell(let slot): top += 1; stack[top] = units[Int(slot)]
            case .lastYearCell(let slot): top += 1; stack[top] = lastYear?[Int(slot)] ?? 0
            case .constant(let v): top += 1; stack[top] = v
            case .scaleUp(let f):
                let (r, o) = stack[top].multipliedReportingOverflow(by: f); if o { return nil }; stack[top] = r
            case .add:
                let (r, o) = stack[top - 1].addingReportingOverflow(stack[top]); if o { return nil }; top -= 1; stack[top] = r
            case .subtract:
                let (r, o) = stack[top - 1].subtractingReportingOverflow(stack[top]); if o { return nil }; top -= 1; stack[top] = r
            case .multiply:
                let (r, o) = stack[top - 1].multipliedReportingOverflow(by: stack[top]); if o { return nil }; top -= 1; stack[top] = r
            case .negate: stack[top] = 0 - stack[top]
            case .abs: if stack[top] < 0 { stack[top] = 0 - stack[top] }
            case .min: top -= 1; stack[top] = Swift.min(stack[top], stack[top + 1])
            case .max: top -= 1; stack[top] = Swift.max(stack[top], stack[top + 1])
            case .compare(let op):
                top -= 1
                stack[top] = op.holds(stack[top], stack[top + 1]) ? 1 : 0
            case .isMultiple(let unit): stack[top] = stack[top] % unit == 0 ? 1 : 0
            case .and: top -= 1; stack[top] = (stack[top] != 0 && stack[top + 1] != 0) ? 1 : 0
            case .or: top -= 1; stack[top] = (stack[top] != 0 || stack[top + 1] != 0) ? 1 : 0
            case .not: stack[top] = stack[top] == 0 ? 1 : 0
            }
        }
        return stack[top] != 0
    }
}

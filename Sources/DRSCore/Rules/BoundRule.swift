/// A rule resolved against a form's cell layout for one column (and one breakdown member): every
/// reference is a slot number, so checking a submission is arithmetic on arrays.
public struct BoundRule: Sendable {
    /// Index into `CompiledForm.rules`.
    public var ruleIndex: Int
    public var column: ColumnID
    public var member: String?
    public var program: RuleProgram
    var condition: BoundCondition
    var guardCondition: BoundCondition?
    /// This year's cells the rule names: the rule is skipped when all of them are empty.
    var currentSlots: [Int]
    /// Last year's cells the rule names: the rule is skipped when any of them is missing.
    var lastYearSlots: [Int]
    /// A specialised form of the common shapes, evaluated without walking the tree.
    var fastPath: FastPath?
}

indirect enum BoundExpression: Sendable {
    case constant(ExactDecimal)
    case cell(Int)
    case lastYearCell(Int)
    case sum([BoundExpression])
    case negate(BoundExpression)
    case binary(ArithmeticOperator, BoundExpression, BoundExpression)
    case abs(BoundExpression)
    case min([BoundExpression])
    case max([BoundExpression])
}

indirect enum BoundCondition: Sendable {
    case comparison(BoundExpression, ComparisonOperator, BoundExpression)
    case integer(BoundExpression)
    case and(BoundCondition, BoundCondition)
    case or(BoundCondition, BoundCondition)
    case not(BoundCondition)
}

/// `Σ ±cell + constant ⋚ 0` on the shared scale of `CellValues`, or "this cell is whole".
enum FastPath: Sendable {
    case linear(plus: [Int], minus: [Int], constant: Int128, op: ComparisonOperator)
    case integer(slot: Int)
}

/// Resolves parsed rules against a layout.
struct RuleBinder {
    let form: Form
    let layout: CellLayout
    let parameters: [String: ExactDecimal]

    /// Binds `program` for each column of `columns`, iterating breakdown members where a reference
    /// without `@` names a row that has them.
    func bind(_ program: RuleProgram, ruleIndex: Int, ruleID: String, columns: [ColumnID]) throws(CatalogError) -> [BoundRule] {
        let references = program.references
        // Rows referenced without a member whose rows have a breakdown: iterate their members.
        var iterated: [String]? = nil
        for (reference, _) in references where reference.member == nil {
            if let members = layout.membersByRow[reference.code] {
                if let current = iterated, current != members {
                    throw CatalogError(form: form.id, reason: "规则 \(ruleID) 引用了分组不同的指标")
                }
                iterated = members
            }
        }
        var bound: [BoundRule] = []
        for column in (columns.isEmpty ? ["value"] : columns) {
            for member in iterated.map({ $0.map(Optional.some) }) ?? [nil] {
                var current: [Int] = [], lastYear: [Int] = []
                let condition = try bindCondition(program.condition, column: column, member: member, ruleID: ruleID,
                                                  current: &current, lastYear: &lastYear)
                let guardCondition = try program.guardCondition.map { (c: RuleCondition) throws(CatalogError) -> BoundCondition in
                    try bindCondition(c, column: column, member: member, ruleID: ruleID, current: &current, lastYear: &lastYear)
                }
                var rule = BoundRule(ruleIndex: ruleIndex, column: column, member: member, program: program,
                                     condition: condition, guardCondition: guardCondition,
                                     currentSlots: Array(Set(current)).sorted(), lastYearSlots: Array(Set(lastYear)).sorted())
                if guardCondition == nil { rule.fastPath = Self.fastPath(for: condition) }
                bound.append(rule)
            }
        }
        return bound
    }

    private func bindCondition(_ condition: RuleCondition, column: ColumnID, member: String?, ruleID: String,
                               current: inout [Int], lastYear: inout [Int]) throws(CatalogError) -> BoundCondition {
        func expression(_ e: RuleExpression) throws(CatalogError) -> BoundExpression {
            try bindExpression(e, column: column, member: member, ruleID: ruleID, lastYearContext: false,
                               current: &current, lastYear: &lastYear)
        }
        func sub(_ c: RuleCondition) throws(CatalogError) -> BoundCondition {
            try bindCondition(c, column: column, member: member, ruleID: ruleID, current: &current, lastYear: &lastYear)
        }
        switch condition {
        case .comparison(let a, let op, let b): return .comparison(try expression(a), op, try expression(b))
        case .integer(let e): return .integer(try expression(e))
        case .and(let a, let b): return .and(try sub(a), try sub(b))
        case .or(let a, let b): return .or(try sub(a), try sub(b))
        case .not(let c): return .not(try sub(c))
        }
    }

    private func bindExpression(_ e: RuleExpression, column: ColumnID, member: String?, ruleID: String, lastYearContext: Bool,
                                current: inout [Int], lastYear: inout [Int]) throws(CatalogError) -> BoundExpression {
        func recurse(_ x: RuleExpression, last: Bool = lastYearContext) throws(CatalogError) -> BoundExpression {
            try bindExpression(x, column: column, member: member, ruleID: ruleID, lastYearContext: last,
                               current: &current, lastYear: &lastYear)
        }
        switch e {
        case .literal(let value): return .constant(value)
        case .parameter(let name):
            guard let value = parameters[name] else {
                throw CatalogError(form: form.id, reason: "规则 \(ruleID) 使用了未定义的参数 $\(name)")
            }
            return .constant(value)
        case .cell(let reference):
            let slots = try resolve(reference, column: column, member: member, ruleID: ruleID)
            if lastYearContext { lastYear.append(contentsOf: slots) } else { current.append(contentsOf: slots) }
            let cells: [BoundExpression] = slots.map { lastYearContext ? .lastYearCell($0) : .cell($0) }
            if case .allMembers = reference.member { return .sum(cells) }
            return cells[0]
        case .negate(let x): return .negate(try recurse(x))
        case .binary(let op, let a, let b): return .binary(op, try recurse(a), try recurse(b))
        case .function(let f, let args):
            var bound: [BoundExpression] = []
            for a in args { bound.append(try recurse(a, last: lastYearContext || f == .last)) }
            switch f {
            case .abs: return .abs(bound[0])
            case .min: return .min(bound)
            case .max: return .max(bound)
            case .sum: return bound.count == 1 ? bound[0] : .sum(bound)
            case .last: return bound[0]
            }
        }
    }

    /// The slots a reference stands for in the given column and member.
    private func resolve(_ reference: CellReference, column: ColumnID, member: String?, ruleID: String) throws(CatalogError) -> [Int] {
        let col = reference.column ?? column
        let members = layout.membersByRow[reference.code]
        let describe = reference.description
        switch reference.member {
        case .allMembers:
            guard let members else {
                throw CatalogError(form: form.id, reason: "规则 \(ruleID) 的 \(describe)：该指标没有分组")
            }
            let total = layout.totalMemberByRow[reference.code]
            var slots: [Int] = []
            for m in members where m != total {
                guard let slot = layout.slot(code: reference.code, column: col, member: m) else {
                    throw CatalogError(form: form.id, reason: "规则 \(ruleID) 的 \(describe)：指标没有栏目 \(col)")
                }
                slots.append(slot)
            }
            return slots
        case .member(let m):
            guard let slot = layout.slot(code: reference.code, column: col, member: m) else {
                throw CatalogError(form: form.id, reason: "规则 \(ruleID) 的 \(describe)：在栏目 \(col) 中不存在")
            }
            return [slot]
        case nil:
            let effectiveMember = members == nil ? nil : member
            guard let slot = layout.slot(code: reference.code, column: col, member: effectiveMember) else {
                throw CatalogError(form: form.id, reason: "规则 \(ruleID) 的 \(describe)：在栏目 \(col) 中不存在（该行没有此栏目或代码不存在）")
            }
            return [slot]
        }
    }

    /// Recognises `linear ⋚ linear` with ±1 coefficients and `integer(cell)`.
    static func fastPath(for condition: BoundCondition) -> FastPath? {
        switch condition {
        case .integer(.cell(let slot)): return .integer(slot: slot)
        case .comparison(let a, let op, let b):
            var plus: [Int] = [], minus: [Int] = []
            var constant = ExactDecimal.zero
            guard linearize(a, sign: 1, plus: &plus, minus: &minus, constant: &constant),
                  linearize(b, sign: -1, plus: &plus, minus: &minus, constant: &constant),
                  let scaled = constant.rescaledExactly(to: CellValues.scale) else { return nil }
            return .linear(plus: plus, minus: minus, constant: scaled, op: op)
        default: return nil
        }
    }

    private static func linearize(_ e: BoundExpression, sign: Int, plus: inout [Int], minus: inout [Int],
                                  constant: inout ExactDecimal) -> Bool {
        switch e {
        case .cell(let slot):
            if sign > 0 { plus.append(slot) } else { minus.append(slot) }
            return true
        case .constant(let value):
            guard let next = try? constant.adding(sign > 0 ? value : value.negated()) else { return false }
            constant = next
            return true
        case .sum(let parts):
            return parts.allSatisfy { linearize($0, sign: sign, plus: &plus, minus: &minus, constant: &constant) }
        case .negate(let x):
            return linearize(x, sign: -sign, plus: &plus, minus: &minus, constant: &constant)
        case .binary(.add, let x, let y):
            return linearize(x, sign: sign, plus: &plus, minus: &minus, constant: &constant)
                && linearize(y, sign: sign, plus: &plus, minus: &minus, constant: &constant)
        case .binary(.subtract, let x, let y):
            return linearize(x, sign: sign, plus: &plus, minus: &minus, constant: &constant)
                && linearize(y, sign: -sign, plus: &plus, minus: &minus, constant: &constant)
        default:
            return false
        }
    }
}

extension ExactDecimal {
    /// The mantissa at exactly `scale` decimals, if the value has no more decimals than that.
    func rescaledExactly(to target: Int) -> Int128? {
        let n = normalized
        guard n.scale <= target else { return nil }
        return n.rescaled(to: target)?.units
    }
}

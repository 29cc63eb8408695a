/// The parsed form of a rule: `condition` must hold, unless `guardCondition` (after `when`) is false.
public struct RuleProgram: Sendable, Equatable {
    public var condition: RuleCondition
    public var guardCondition: RuleCondition?
}

/// A reference to a cell, as written between brackets.
///
/// `[01]` row 01 in the column being checked; `[01:cum]` a fixed column; `[01@A]` one member of a
/// breakdown; `[01@*]` every member except the total (only inside `sum`); `[Q05.day]` a field of a
/// basic-information item; `[*]` the row a template is expanded for.
public struct CellReference: Sendable, Hashable, CustomStringConvertible {
    public var code: String
    public var column: ColumnID?
    public var member: MemberSelector?

    public enum MemberSelector: Sendable, Hashable {
        case member(String)
        case allMembers
    }

    public init(code: String, column: ColumnID? = nil, member: MemberSelector? = nil) {
        self.code = code
        self.column = column
        self.member = member
    }

    public var isTemplateRow: Bool { code == "*" }

    public var description: String {
        var text = "[" + code
        if let column { text += ":" + column }
        switch member {
        case .member(let m): text += "@" + m
        case .allMembers: text += "@*"
        case nil: break
        }
        return text + "]"
    }
}

public indirect enum RuleExpression: Sendable, Equatable {
    case literal(ExactDecimal)
    case parameter(String)
    case cell(CellReference)
    case negate(RuleExpression)
    case binary(ArithmeticOperator, RuleExpression, RuleExpression)
    /// abs(x), min(x, y, …), max(x, y, …), sum(x, y, … or [01@*]), last([01:cur])
    case function(RuleFunction, [RuleExpression])
}

public enum ArithmeticOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*"
}

public enum RuleFunction: String, Sendable, CaseIterable {
    case abs, min, max, sum, last
}

public indirect enum RuleCondition: Sendable, Equatable {
    case comparison(RuleExpression, ComparisonOperator, RuleExpression)
    /// integer(x): x is a whole number.
    case integer(RuleExpression)
    case and(RuleCondition, RuleCondition)
    case or(RuleCondition, RuleCondition)
    case not(RuleCondition)
}

public enum ComparisonOperator: String, Sendable {
    case greaterOrEqual = ">=", lessOrEqual = "<=", greater = ">", less = "<", equal = "=", notEqual = "!="

    /// The sign as the seed prints it.
    public var symbol: String {
        switch self {
        case .greaterOrEqual: "≥"
        case .lessOrEqual: "≤"
        case .greater: ">"
        case .less: "<"
        case .equal: "="
        case .notEqual: "≠"
        }
    }

    @inlinable public func holds<T: Comparable>(_ a: T, _ b: T) -> Bool {
        switch self {
        case .greaterOrEqual: a >= b
        case .lessOrEqual: a <= b
        case .greater: a > b
        case .less: a < b
        case .equal: a == b
        case .notEqual: a != b
        }
    }

    /// The same test on a difference `d = a - b` against zero.
    @inlinable public func holdsForDifference<T: SignedInteger>(_ d: T) -> Bool {
        switch self {
        case .greaterOrEqual: d >= 0
        case .lessOrEqual: d <= 0
        case .greater: d > 0
        case .less: d < 0
        case .equal: d == 0
        case .notEqual: d != 0
        }
    }
}

extension RuleExpression {
    /// Every cell reference in the expression, in reading order (with `last` references marked).
    func collectReferences(into list: inout [(CellReference, isLastYear: Bool)], lastYear: Bool = false) {
        switch self {
        case .literal, .parameter: break
        case .cell(let ref): list.append((ref, lastYear))
        case .negate(let e): e.collectReferences(into: &list, lastYear: lastYear)
        case .binary(_, let a, let b):
            a.collectReferences(into: &list, lastYear: lastYear)
            b.collectReferences(into: &list, lastYear: lastYear)
        case .function(let f, let args):
            for a in args { a.collectReferences(into: &list, lastYear: lastYear || f == .last) }
        }
    }

    /// Replaces `[*…]` by the given row code.
    func substitutingTemplateRow(_ code: String) -> RuleExpression {
        switch self {
        case .literal, .parameter: return self
        case .cell(var ref):
            if ref.isTemplateRow { ref.code = code }
            return .cell(ref)
        case .negate(let e): return .negate(e.substitutingTemplateRow(code))
        case .binary(let op, let a, let b): return .binary(op, a.substitutingTemplateRow(code), b.substitutingTemplateRow(code))
        case .function(let f, let args): return .function(f, args.map { $0.substitutingTemplateRow(code) })
        }
    }
}

extension RuleCondition {
    func collectReferences(into list: inout [(CellReference, isLastYear: Bool)]) {
        switch self {
        case .comparison(let a, _, let b):
            a.collectReferences(into: &list)
            b.collectReferences(into: &list)
        case .integer(let e): e.collectReferences(into: &list)
        case .and(let a, let b), .or(let a, let b):
            a.collectReferences(into: &list)
            b.collectReferences(into: &list)
        case .not(let c): c.collectReferences(into: &list)
        }
    }

    func substitutingTemplateRow(_ code: String) -> RuleCondition {
        switch self {
        case .comparison(let a, let op, let b): .comparison(a.substitutingTemplateRow(code), op, b.substitutingTemplateRow(code))
        case .integer(let e): .integer(e.substitutingTemplateRow(code))
        case .and(let a, let b): .and(a.substitutingTemplateRow(code), b.substitutingTemplateRow(code))
        case .or(let a, let b): .or(a.substitutingTemplateRow(code), b.substitutingTemplateRow(code))
        case .not(let c): .not(c.substitutingTemplateRow(code))
        }
    }
}

extension RuleProgram {
    /// All references of the rule: the condition's and the guard's.
    public var references: [(CellReference, isLastYear: Bool)] {
        var list: [(CellReference, isLastYear: Bool)] = []
        condition.collectReferences(into: &list)
        guardCondition?.collectReferences(into: &list)
        return list
    }

    func substitutingTemplateRow(_ code: String) -> RuleProgram {
        RuleProgram(condition: condition.substitutingTemplateRow(code),
                    guardCondition: guardCondition?.substitutingTemplateRow(code))
    }
}

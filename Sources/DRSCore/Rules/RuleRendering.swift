/// Writes rules back as text: canonically (`[01] >= [02] + [03]`) for catalogs and exports, and with
/// names (`数据生产总量[01]`) for messages.
extension RuleProgram {
    public var source: String {
        var text = condition.source
        if let guardCondition { text += " when " + guardCondition.source }
        return text
    }
}

extension RuleCondition {
    public var source: String {
        switch self {
        case .comparison(let a, let op, let b): "\(a.source) \(op.rawValue) \(b.source)"
        case .integer(let e): "integer(\(e.source))"
        case .and(let a, let b): "\(a.parenthesizedSource(inside: .and)) and \(b.parenthesizedSource(inside: .and))"
        case .or(let a, let b): "\(a.source) or \(b.source)"
        case .not(let c): "not (\(c.source))"
        }
    }

    private enum Context { case and }

    private func parenthesizedSource(inside: Context) -> String {
        if case .or = self { return "(\(source))" }
        return source
    }
}

extension RuleExpression {
    public var source: String { render(precedence: 0) { $0.description } }

    /// Renders with a function for cell references; `precedence` decides parentheses.
    func render(precedence: Int, spaced: Bool = true, cell: (CellReference) -> String) -> String {
        let gap = spaced ? " " : ""
        switch self {
        case .literal(let v): return v.description
        case .parameter(let name): return "$" + name
        case .cell(let reference): return cell(reference)
        case .negate(let x): return "-" + x.render(precedence: 3, spaced: spaced, cell: cell)
        case .binary(let op, let a, let b):
            let p = op == .multiply ? 2 : 1
            let right = b.render(precedence: op == .subtract ? p + 1 : p, spaced: spaced, cell: cell)
            let text = a.render(precedence: p, spaced: spaced, cell: cell) + gap + op.rawValue + gap + right
            return p < precedence ? "(\(text))" : text
        case .function(let f, let args):
            return f.rawValue + "(" + args.map { $0.render(precedence: 0, spaced: spaced, cell: cell) }.joined(separator: "," + gap) + ")"
        }
    }

    /// True when the expression is a number and nothing else.
    var isLiteral: Bool {
        if case .literal = self { return true }
        return false
    }
}

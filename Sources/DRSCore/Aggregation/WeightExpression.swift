/// The base of a weighted mean (`[16]`, `[06] * [03]`) bound to one cell's column and member, and
/// evaluated on integers at a scale fixed when it is compiled.
///
/// It is bound by the rule binder, so a weight means exactly what the same expression means in a rule
/// (empty cells count as 0, `[16]` is row 16 in the cell's own column and member). Evaluating on
/// fixed-scale integers avoids normalising decimals for every unit of a national run.
struct WeightExpression: Sendable {
    indirect enum Node: Sendable {
        case constant(Int128)
        /// A cell's millionths.
        case cell(Int)
        /// A child multiplied by a power of ten to bring it to its parent's scale.
        case scaled(Node, Int128)
        case add(Node, Node)
        case subtract(Node, Node)
        case multiply(Node, Node)
        case negate(Node)
        case abs(Node)
        case min([Node])
        case max([Node])
        case sum([Node])
    }

    let root: Node
    /// Decimal places of the evaluated weight (6 for `[16]`, 12 for `[06] * [03]`).
    let scale: Int
    let source: String

    /// Binds `text` for the cell `key` of `form`.
    init(_ text: String, for key: CellKey, in form: CompiledForm) throws(AggregationError) {
        func invalid(_ reason: String) -> AggregationError {
            .invalidWeight(form: form.form.id, code: key.code, weight: text, reason: reason)
        }
        let expression: RuleExpression
        do { expression = try RuleParser.parseExpression(text) } catch { throw invalid(error.description) }
        var references: [(CellReference, isLastYear: Bool)] = []
        expression.collectReferences(into: &references)
        if references.contains(where: { $0.isLastYear }) { throw invalid("加权基数不能引用上年数（last）") }
        // Bound as the left side of a comparison, the binder's own resolution of columns and members applies.
        let program = RuleProgram(condition: .comparison(expression, .greaterOrEqual, .literal(.zero)), guardCondition: nil)
        let binder = RuleBinder(form: form.form, layout: form.layout, parameters: [:])
        let bound: [BoundRule]
        do { bound = try binder.bind(program, ruleIndex: 0, ruleID: "\(key.code)的加权基数", columns: [key.column]) } catch {
            throw invalid(error.reason)
        }
        guard let rule = bound.first(where: { $0.member == key.member }) ?? (bound.count == 1 && bound[0].member == nil ? bound[0] : nil),
              case .comparison(let weight, _, _) = rule.condition else {
            throw invalid("加权基数的分组与指标的分组不一致")
        }
        let (root, scale) = try Self.compile(weight, invalid)
        self.root = root
        self.scale = scale
        self.source = text
    }

    /// The weight of one submission at `scale`, or nil if it does not fit in 128 bits.
    func evaluate(_ values: CellValues) -> Int128? {
        if case .cell(let slot) = root { return values.units[slot] }
        return values.units.withUnsafeBufferPointer { Self.evaluate(root, $0) }
    }

    private static func evaluate(_ node: Node, _ units: UnsafeBufferPointer<Int128>) -> Int128? {
        switch node {
        case .constant(let c): return c
        case .cell(let slot): return units[slot]
        case .scaled(let x, let factor):
            guard let v = evaluate(x, units) else { return nil }
            let (r, o) = v.multipliedReportingOverflow(by: factor)
            return o ? nil : r
        case .add(let a, let b):
            guard let x = evaluate(a, units), let y = evaluate(b, units) else { return nil }
            let (r, o) = x.addingReportingOverflow(y)
            return o ? nil : r
        case .subtract(let a, let b):
            guard let x = evaluate(a, units), let y = evaluate(b, units) else { return nil }
            let (r, o) = x.subtractingReportingOverflow(y)
            return o ? nil : r
        case .multiply(let a, let b):
            guard let x = evaluate(a, units), let y = evaluate(b, units) else { return nil }
            let (r, o) = x.multipliedReportingOverflow(by: y)
            return o ? nil : r
        case .negate(let x):
            guard let v = evaluate(x, units), v != .min else { return nil }
            return -v
        case .abs(let x):
            guard let v = evaluate(x, units), v != .min else { return nil }
            return v < 0 ? -v : v
        case .min(let xs), .max(let xs):
            var best: Int128? = nil
            for x in xs {
                guard let v = evaluate(x, units) else { return nil }
                if let b = best {
                    if case .min = node { best = Swift.min(b, v) } else { best = Swift.max(b, v) }
                } else { best = v }
            }
            return best
        case .sum(let xs):
            var total: Int128 = 0
            for x in xs {
                guard let v = evaluate(x, units) else { return nil }
                let (r, o) = total.addingReportingOverflow(v)
                if o { return nil }
                total = r
            }
            return total
        }
    }

    /// Gives every node a static scale: cells 6, literals their own, sums the largest of their parts
    /// (the smaller ones scaled up), products the sum of their factors' scales.
    private static func compile(_ e: BoundExpression, _ invalid: (String) -> AggregationError) throws(AggregationError) -> (Node, Int) {
        func align(_ parts: [BoundExpression]) throws(AggregationError) -> ([Node], Int) {
            var compiled: [(Node, Int)] = []
            for p in parts { compiled.append(try compile(p, invalid)) }
            let scale = compiled.map(\.1).max() ?? 0
            return (compiled.map { $0.1 == scale ? $0.0 : .scaled($0.0, ExactDecimal.pow10(scale - $0.1)) }, scale)
        }
        switch e {
        case .constant(let value):
            let n = value.normalized
            return (.constant(n.units), n.scale)
        case .cell(let slot): return (.cell(slot), CellValues.scale)
        case .lastYearCell: throw invalid("加权基数不能引用上年数（last）")
        case .sum(let parts):
            let (nodes, scale) = try align(parts)
            return (.sum(nodes), scale)
        case .negate(let x):
            let (node, scale) = try compile(x, invalid)
            return (.negate(node), scale)
        case .abs(let x):
            let (node, scale) = try compile(x, invalid)
            return (.abs(node), scale)
        case .min(let xs):
            let (nodes, scale) = try align(xs)
            return (.min(nodes), scale)
        case .max(let xs):
            let (nodes, scale) = try align(xs)
            return (.max(nodes), scale)
        case .binary(.multiply, let a, let b):
            let (x, sx) = try compile(a, invalid), (y, sy) = try compile(b, invalid)
            guard sx + sy <= ExactDecimal.maxScale - CellValues.scale else { throw invalid("加权基数的小数位数过多，无法精确计算") }
            return (.multiply(x, y), sx + sy)
        case .binary(let op, let a, let b):
            let (nodes, scale) = try align([a, b])
            return (op == .add ? .add(nodes[0], nodes[1]) : .subtract(nodes[0], nodes[1]), scale)
        }
    }
}

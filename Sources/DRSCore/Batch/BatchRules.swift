/// Rules checked over a whole `ColumnBatch` at once (the national office's batch check).
///
/// Rules are written in the same rule language, with cells named by column (`[x01] >= [x02] + [x03]`).
/// Linear rules — all 191 printed 审核关系 are — run as tight loops over blocks of records that stay
/// in cache: `d = constant + Σ plus − Σ minus`, then a branch-free sign test. Exactness holds because
/// a rule uses 64-bit arithmetic only when the columns' largest magnitudes prove no sum can overflow;
/// otherwise it falls back to 128-bit arithmetic.
public struct BatchRules: Sendable {
    public struct CompiledRule: Sendable {
        public var source: String
        var kernel: Kernel
        var columns: [Int]
    }

    enum Kernel: Sendable {
        case linear(plus: [Int], minus: [Int], constant: Int64, op: ComparisonOperator)
        /// Anything else: evaluated per record with exact decimals.
        case general(BoundRule)
    }

    public let rules: [CompiledRule]
    public static let blockSize = 4096

    /// Compiles rules against a batch's column names.
    public init(_ expressions: [String], columns names: [String]) throws(CatalogError) {
        // A one-row "form" whose cells are the batch's columns lets the ordinary binder resolve names.
        let indicators = names.map { Indicator(code: $0, name: $0, unit: "", columns: ["v"]) }
        let form = Form(id: "BATCH", tableNumber: "", title: "", group: "", kind: .indicators, period: "", scope: "", reporters: "",
                        issuedBy: "", approvedBy: "", approvalNumber: "", validUntil: "", submissionMethod: "", respondentTypes: [],
                        columns: ["v"], breakdown: nil, notes: [], source: .init(pages: nil, rebuilt: false, how: nil),
                        indicators: indicators, items: nil, rules: [], seedIssues: nil)
        let layout = try CellLayout(form: form, codeLists: [:])
        let binder = RuleBinder(form: form, layout: layout, parameters: [:])
        var compiled: [CompiledRule] = []
        for (index, expression) in expressions.enumerated() {
            let program: RuleProgram
            do { program = try RuleParser.parse(expression) } catch { throw CatalogError(form: nil, reason: error.description) }
            guard let bound = try binder.bind(program, ruleIndex: index, ruleID: "R\(index + 1)", columns: ["v"]).first else { continue }
            if case .linear(let plus, let minus, let constant, let op)? = bound.fastPath,
               let c = Int64(exactly: constant) {
                compiled.append(CompiledRule(source: expression, kernel: .linear(plus: plus, minus: minus, constant: c, op: op),
                                             columns: bound.currentSlots))
            } else {
                compiled.append(CompiledRule(source: expression, kernel: .general(bound), columns: bound.currentSlots))
            }
        }
        rules = compiled
    }

    /// Failures per rule over a range of records (run ranges on several threads and add the counts).
    public func countFailures(in batch: ColumnBatch, records: Range<Int>) -> [Int] {
        var counts = [Int](repeating: 0, count: rules.count)
        visitFailures(in: batch, records: records, collect: false) { rule, _ in counts[rule] += 1 } blockCounts: { rule, n in
            counts[rule] += n
        }
        return counts
    }

    /// Every failing (rule, record) pair over a range of records.
    public func failures(in batch: ColumnBatch, records: Range<Int>) -> [(rule: Int, record: Int)] {
        var found: [(rule: Int, record: Int)] = []
        visitFailures(in: batch, records: records, collect: true) { found.append(($0, $1)) } blockCounts: { _, _ in }
        return found
    }

    private func visitFailures(in batch: ColumnBatch, records: Range<Int>, collect: Bool,
                               _ each: (Int, Int) -> Void, blockCounts: (Int, Int) -> Void) {
        var difference = [Int64](repeating: 0, count: Self.blockSize)
        var start = records.lowerBound
        while start < records.upperBound {
            let end = min(start + Self.blockSize, records.upperBound)
            for (r, rule) in rules.enumerated() {
                switch rule.kernel {
                case .linear(let plus, let minus, let constant, let op):
                    let dense = rule.columns.allSatisfy { batch.presence[$0] == nil }
                    if dense && fitsInt64(plus: plus, minus: minus, constant: constant, batch: batch) {
                        let n = difference.withUnsafeMutableBufferPointer { d in
                            Self.linearBlock(d, batch: batch, plus: plus, minus: minus, constant: constant, op: op, start: start, end: end)
                        }
                        if n == 0 { continue }
                        if !collect { blockCounts(r, n); continue }
                        for i in start..<end where Self.failsAt(Int(i - start), difference, op) { each(r, i) }
                    } else {
                        for i in start..<end where exactLinearFails(plus, minus, constant, op, rule.columns, batch, i) { each(r, i) }
                    }
                case .general(let bound):
                    var values = CellValues(count: batch.columns.count)
                    for i in start..<end {
                        for c in rule.columns {
                            values[c] = batch.isFilled(column: c, record: i)
                                ? ExactDecimal(units: Int128(batch.columns[c][i]), scale: CellValues.scale) : nil
                        }
                        if bound.evaluate(values, lastYear: nil) == .violated { each(r, i) }
                    }
                }
            }
            start = end
        }
    }

    /// True when `constant + Σ plus − Σ minus` cannot leave Int64 for any record of the batch.
    private func fitsInt64(plus: [Int], minus: [Int], constant: Int64, batch: ColumnBatch) -> Bool {
        var bound = Int128(constant.magnitude)
        for c in plus + minus { bound += Int128(batch.maxMagnitude[c]) }
        return bound < Int128(Int64.max)
    }

    /// One block of a linear rule: fills `d` with the differences and returns the number of failures.
    @inline(__always)
    private static func linearBlock(_ d: UnsafeMutableBufferPointer<Int64>, batch: ColumnBatch, plus: [Int], minus: [Int],
                                    constant: Int64, op: ComparisonOperator, start: Int, end: Int) -> Int {
        let n = end - start
        let out = d.baseAddress!
        batch.columns[plus[0]].withUnsafeBufferPointer { p in
            let src = p.baseAddress! + start
            for i in 0..<n { out[i] = src[i] &+ constant }
        }
        for c in plus.dropFirst() {
            batch.columns[c].withUnsafeBufferPointer { p in
                let src = p.baseAddress! + start
                for i in 0..<n { out[i] &+= src[i] }
            }
        }
        for c in minus {
            batch.columns[c].withUnsafeBufferPointer { p in
                let src = p.baseAddress! + start
                for i in 0..<n { out[i] &-= src[i] }
            }
        }
        // Branch-free failure count: the sign bit of a suitable transform of d is 1 exactly on failure.
        var failures: UInt64 = 0
        switch op {
        case .greaterOrEqual: for i in 0..<n { failures &+= UInt64(bitPattern: out[i]) >> 63 }          // d < 0
        case .less: for i in 0..<n { failures &+= UInt64(bitPattern: ~out[i]) >> 63 }                   // d ≥ 0
        case .lessOrEqual: for i in 0..<n { failures &+= UInt64(bitPattern: 0 &- out[i]) >> 63 }        // d > 0
        case .greater: for i in 0..<n { failures &+= UInt64(bitPattern: ~(0 &- out[i])) >> 63 }         // d ≤ 0
        case .equal: for i in 0..<n { failures &+= UInt64(bitPattern: out[i] | (0 &- out[i])) >> 63 }   // d ≠ 0
        case .notEqual: for i in 0..<n { failures &+= UInt64(bitPattern: ~(out[i] | (0 &- out[i]))) >> 63 }
        }
        return Int(failures)
    }

    private static func failsAt(_ i: Int, _ d: [Int64], _ op: ComparisonOperator) -> Bool {
        !op.holdsForDifference(d[i])
    }

    /// The exact (128-bit) check of one record, honouring empty cells.
    private func exactLinearFails(_ plus: [Int], _ minus: [Int], _ constant: Int64, _ op: ComparisonOperator,
                                  _ columns: [Int], _ batch: ColumnBatch, _ i: Int) -> Bool {
        guard columns.contains(where: { batch.isFilled(column: $0, record: i) }) else { return false }
        var d = Int128(constant)
        for c in plus where batch.isFilled(column: c, record: i) { d += Int128(batch.columns[c][i]) }
        for c in minus where batch.isFilled(column: c, record: i) { d -= Int128(batch.columns[c][i]) }
        return !op.holdsForDifference(d)
    }
}

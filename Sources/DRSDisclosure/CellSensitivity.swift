/// Whether a cell may be published as it is, and if not, how wide the interval around its value
/// must stay that an intruder can derive from everything published (its protection level).
///
/// The rules are tau-Argus' (so the two can be compared cell by cell): the p% and dominance rules
/// are checked first and a cell they make unsafe gets the largest of their levels; only a cell they
/// leave safe can be unsafe by frequency, with `range`% of its value. A level is at least one unit of
/// the last decimal. The tests themselves are exact integer comparisons.
///
/// Policy for zeros (docs/disclosure-control.md): a cell without contributors is *empty*, known to be
/// zero, published as “-” and never suppressed; a cell whose contributors all report zero is judged
/// like any other (two units that store nothing are still two identifiable units).
public struct CellSensitivity: Sendable, Hashable {
    public var isPrimary: Bool
    /// Protection level in units of 10^-scale (0 when the cell is safe).
    public var level: Double

    public static let safe = CellSensitivity(isPrimary: false, level: 0)

    public init(isPrimary: Bool, level: Double) {
        self.isPrimary = isPrimary
        self.level = level
    }

    /// The sensitivity of every cell of a table under the rules.
    public static func assess(_ table: MagnitudeTable, rules: SafetyRules) -> [CellSensitivity] {
        (0..<table.cellCount).map { assess(cell: $0, of: table, rules: rules) }
    }

    static func assess(cell: Int, of table: MagnitudeTable, rules: SafetyRules) -> CellSensitivity {
        let count = table.contributors[cell]
        guard count > 0 else { return .safe }
        let x = table.values[cell]
        var byMagnitude = false, level = 0.0
        var minimumCount = 1, frequencyRange = 0
        var byFrequency = false
        for rule in rules.rules {
            switch rule {
            case let .frequency(minimum, range):
                minimumCount = minimum
                frequencyRange = range
                byFrequency = count < minimum
            case let .dominance(n, k):
                let top = largestSum(table, cell, n)
                if top * 100 > Int128(k) * x {
                    byMagnitude = true
                    level = max(level, Double(top) * 100 / Double(k) - Double(x))
                }
            case let .pPercent(p, q, n):
                // p/q·x1 − (x − x1 − … − x(n+1)) > 0, multiplied out by q.
                let remainder = x - largestSum(table, cell, n + 1)
                let excess = Int128(p) * table.largestContribution(cell, rank: 0) - Int128(q) * remainder
                if excess > 0 {
                    byMagnitude = true
                    level = max(level, Double(excess) / Double(q))
                }
            }
        }
        if byMagnitude, level <= 0 {
            level = Double(x) * Double(count <= minimumCount ? frequencyRange : 20) / 100
        }
        if byFrequency, !byMagnitude {
            level = Double(x) * Double(frequencyRange) / 100
        }
        guard byMagnitude || byFrequency else { return .safe }
        return CellSensitivity(isPrimary: true, level: max(level, 1))
    }

    private static func largestSum(_ table: MagnitudeTable, _ cell: Int, _ n: Int) -> Int128 {
        (0..<n).reduce(0) { $0 + table.largestContribution(cell, rank: $1) }
    }
}

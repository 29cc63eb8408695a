/// The table, the cells suppressed so far, and what suppressing one more would cost.
struct SuppressionState {
    let table: MagnitudeTable
    let sensitivity: [CellSensitivity]
    let strides: [Int]
    private(set) var suppressed: [Bool]
    /// Weight per unit of change (in units of the protection level) of a published cell.
    let weights: [Double]

    /// A suppressed cell is nearly free to use again; the tiny weight keeps perturbations short.
    static let suppressedWeight = 1e-6

    init(table: MagnitudeTable, sensitivity: [CellSensitivity], cost: SuppressionCost) {
        self.table = table
        self.sensitivity = sensitivity
        strides = TableLines(shape: table.shape).strides
        suppressed = sensitivity.map(\.isPrimary)
        switch cost {
        case .count:
            weights = Array(repeating: 1, count: table.cellCount)
        case .value:
            // Value relative to an average inner cell, plus a little per cell so that of two equal
            // values the pattern with fewer cells wins.
            let inner = (0..<table.cellCount).filter { table.contributors[$0] > 0 && !table.isMarginal($0) }
            let total = inner.reduce(0.0) { $0 + Double(table.values[$1]) }
            let reference = max(total / Double(max(inner.count, 1)), 1)
            weights = table.values.map { 0.01 + Double($0) / reference }
        }
    }

    func weight(_ cell: Int) -> Double { suppressed[cell] ? Self.suppressedWeight : weights[cell] }

    /// Whether the cell may carry a perturbation (an empty cell is a known zero).
    func isUsable(_ cell: Int) -> Bool { table.contributors[cell] > 0 }

    mutating func suppress(_ cells: [Int]) {
        for cell in cells { suppressed[cell] = true }
    }

    /// Publishes a secondary cell again (redundancy pruning).
    mutating func publish(_ cell: Int) {
        if !sensitivity[cell].isPrimary { suppressed[cell] = false }
    }

    /// Per dimension, the codes of a neighbourhood of the cell: its own, the total, and the codes
    /// whose cell on the cell's line is suppressed already or largest (most able to give way).
    func neighbourhood(of cell: Int, cells budget: Int) -> [[Int]] {
        let position = table.position(of: cell)
        let dimensions = table.shape.count
        let perDimension = Self.codesPerDimension(budget: budget, dimensions: dimensions)
        return (0..<dimensions).map { d in
            let total = table.shape[d] - 1
            var codes: Set<Int> = [position[d], total]
            let candidates = (0..<total).filter { $0 != position[d] }.map { index -> (Int, Bool, Int128) in
                let neighbour = cell + (index - position[d]) * strides[d]
                return (index, suppressed[neighbour], table.values[neighbour])
            }.sorted { ($0.1 ? 1 : 0, $0.2, -$0.0) > ($1.1 ? 1 : 0, $1.2, -$1.0) }
            for candidate in candidates where codes.count < perDimension { codes.insert(candidate.0) }
            return codes.sorted()
        }
    }

    /// The largest m with m^dimensions ≤ budget (at least 3: own code, total, one other).
    static func codesPerDimension(budget: Int, dimensions: Int) -> Int {
        var m = 3
        while (0..<dimensions).reduce(1, { product, _ in product * (m + 1) }) <= budget { m += 1 }
        return m
    }
}

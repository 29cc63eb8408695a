/// The linear programme behind one step of secondary suppression: on a product of codes per
/// dimension (a neighbourhood or the whole table), find the cheapest additive, non-negative change
/// that moves one primary cell by `change`.
///
/// Changes are measured in units of |change|, so the primary cell moves by exactly ±1. Each other
/// usable cell j has an increase y⁺ⱼ ≥ 0 and a decrease 0 ≤ y⁻ⱼ ≤ valueⱼ/|change| (it cannot go
/// below zero), both weighted by what suppressing j costs. Every line through the product keeps
/// its sum: Σ inner − total = 0.
struct PerturbationProgram {
    private(set) var program: LinearProgram
    /// The cells behind the columns: column 2m is cell m's increase, 2m + 1 its decrease.
    private(set) var cells: [Int] = []
    /// A line that cannot balance (no other cell to take the change) makes the programme infeasible.
    private(set) var isInfeasible = false
    private let target: Int
    private let magnitude: Double
    private let values: [Int128]

    /// `allowed` says which cells may change besides the target (default: every non-empty cell).
    init(state: SuppressionState, cell target: Int, change: Double, codes: [[Int]], allowed: ((Int) -> Bool)? = nil) {
        self.target = target
        magnitude = abs(change)
        values = state.table.values
        program = LinearProgram(columns: 0)
        let product = Self.product(codes, table: state.table)
        var column: [Int: Int] = [:]
        for cell in product where cell != target && state.isUsable(cell) && allowed?(cell) ?? true {
            column[cell] = cells.count
            cells.append(cell)
        }
        program = LinearProgram(columns: cells.count * 2)
        for (m, cell) in cells.enumerated() {
            let weight = state.weight(cell)
            let capacity = Double(state.table.values[cell]) / magnitude
            program.objective[2 * m] = weight
            // A published cell must be suppressed whole however little of the decrease it carries:
            // its weight per unit of decrease is its cost over what it can carry (at most 1), so
            // the programme does not spread a decrease over many small cells.
            program.objective[2 * m + 1] = state.suppressed[cell] ? weight : weight / max(min(capacity, 1), 1e-9)
            program.columnUpper[2 * m + 1] = capacity
        }
        addLines(codes: codes, state: state, column: column, direction: change > 0 ? 1 : -1)
    }

    /// Every cell of the product of codes.
    private static func product(_ codes: [[Int]], table: MagnitudeTable) -> [Int] {
        var cells = [0]
        for (d, list) in codes.enumerated() {
            cells = cells.flatMap { base in list.map { base * table.shape[d] + $0 } }
        }
        return cells
    }

    private mutating func addLines(codes: [[Int]], state: SuppressionState, column: [Int: Int], direction: Double) {
        let shape = state.table.shape
        for d in shape.indices {
            var others = codes
            others[d] = [0]
            for base in Self.product(others, table: state.table) {
                var entries: [(column: Int, coefficient: Double)] = []
                var rightHandSide = 0.0
                for index in codes[d] {
                    let cell = base + index * state.strides[d]
                    let coefficient = TableLines.coefficient(index, length: shape[d])
                    if cell == target {
                        rightHandSide -= coefficient * direction
                    } else if let m = column[cell] {
                        entries.append((2 * m, coefficient))
                        entries.append((2 * m + 1, -coefficient))
                    }
                }
                if entries.isEmpty {
                    if rightHandSide != 0 { isInfeasible = true }
                    continue
                }
                program.addEquality(entries, equals: rightHandSide)
            }
        }
    }

    /// The cells an optimal solution changes, and whether its reverse is also a perturbation.
    func perturbation(from solution: [Double]) -> Perturbation? {
        guard solution.count == cells.count * 2 else { return nil }
        var touched = [target]
        var reversible = Double(values[target]) >= magnitude
        for (m, cell) in cells.enumerated() {
            let up = solution[2 * m], down = solution[2 * m + 1]
            guard up + down > 1e-9 else { continue }
            touched.append(cell)
            if up * magnitude > Double(values[cell]) * (1 + 1e-12) { reversible = false }
        }
        return Perturbation(touched: touched, reversible: reversible)
    }
}

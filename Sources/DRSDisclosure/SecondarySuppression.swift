/// Secondary suppression that proves itself as it goes.
///
/// For each primary cell in turn (smallest protection level first) it looks for a *perturbation* of
/// the table: changes to cells that keep every line additive and every value non-negative, move the
/// primary cell by its full protection level, and touch published cells as cheaply as possible
/// (cells already suppressed cost almost nothing). The cells the perturbation touches are
/// suppressed. An intruder who sees the published cells cannot then tell the true table from the
/// perturbed one, so the primary cell's value could be anywhere in [value − level, value + level]
/// (not below zero): the pattern protects it, and suppressing more only widens what the intruder
/// cannot tell. This is the linear-programming heuristic of Fischetti and Salazar (2000) with the
/// fixed charge of a suppression approximated by its weight per unit of change, one small programme
/// per cell and direction, solved by the solver library. A last pass publishes again every
/// secondary cell whose work the others can do (`pruneRedundant`).
///
/// Each programme is first posed on a neighbourhood of the cell (its own code, the total and the
/// codes most able to absorb the change, in every dimension), then on a larger one, and only then
/// on the whole table; a perturbation found in a neighbourhood is one of the whole table.
public struct SecondarySuppression: Sendable {
    public var solver: any LinearProgramSolver
    public var cost: SuppressionCost
    /// Cells in the first neighbourhood programme (the second has eight times as many).
    public var neighbourhoodCells: Int
    /// Which primary cells are protected first.
    public var order: PrimaryOrder = .smallestFirst

    public enum PrimaryOrder: String, Sendable, CaseIterable {
        case smallestFirst, largestFirst
    }

    public init(solver: any LinearProgramSolver, cost: SuppressionCost = .value, neighbourhoodCells: Int = 512) {
        self.solver = solver
        self.cost = cost
        self.neighbourhoodCells = neighbourhoodCells
    }

    /// Protects a table under the rules.
    public func protect(_ table: MagnitudeTable, rules: SafetyRules) -> ProtectedTable {
        let sensitivity = CellSensitivity.assess(table, rules: rules)
        var state = SuppressionState(table: table, sensitivity: sensitivity, cost: cost)
        // Small cells first: their cheap perturbations are then reused by the larger ones, which
        // measured fewer and smaller suppressions than the other order (docs/disclosure-control.md).
        var primaries = (0..<table.cellCount).filter { sensitivity[$0].isPrimary }
            .sorted { (sensitivity[$0].level, $0) < (sensitivity[$1].level, $1) }
        if order == .largestFirst { primaries.reverse() }
        var witnesses = Witnesses()
        var unprotectable: [Int] = []
        var programmes = 0
        for cell in primaries {
            if let found = protect(cell, in: &state, programmes: &programmes) { witnesses.record(found) } else { unprotectable.append(cell) }
        }
        pruneRedundant(&state, &witnesses, programmes: &programmes)
        let status = (0..<table.cellCount).map { cell -> CellStatus in
            if sensitivity[cell].isPrimary { return .primary }
            if state.suppressed[cell] { return .secondary }
            return table.contributors[cell] == 0 ? .empty : .safe
        }
        return ProtectedTable(table: table, rules: rules, sensitivity: sensitivity, status: status,
                              unprotectable: unprotectable.sorted(), programmes: programmes)
    }

    /// Protects one primary cell upwards and downwards (downwards no further than zero): the
    /// perturbations that prove it, or nil when none exists.
    private func protect(_ cell: Int, in state: inout SuppressionState, programmes: inout Int) -> [Witness]? {
        let level = state.sensitivity[cell].level
        let downLevel = min(level, Double(state.table.values[cell]))
        // Cells already suppressed around it may prove it at once.
        let suppressed = state.suppressed
        if let box = HypercubeWitness(state: state).find(for: cell, up: level, down: downLevel, usable: { suppressed[$0] }) {
            return [Witness(cell: cell, change: level, cells: box), Witness(cell: cell, change: -downLevel, cells: box)]
        }
        guard let upwards = perturbation(of: cell, by: level, in: state, programmes: &programmes) else { return nil }
        state.suppress(upwards.touched)
        let up = Witness(cell: cell, change: level, cells: upwards.touched)
        // A zero cell needs no protection downwards: every value below it is impossible anyway.
        if downLevel <= 0 { return [up] }
        // The opposite change is a downward perturbation whenever every cell it lowers can give way.
        if upwards.reversible, downLevel == level { return [up, Witness(cell: cell, change: -level, cells: upwards.touched)] }
        guard let downwards = perturbation(of: cell, by: -downLevel, in: state, programmes: &programmes) else { return nil }
        state.suppress(downwards.touched)
        return [up, Witness(cell: cell, change: -downLevel, cells: downwards.touched)]
    }

    private func perturbation(of cell: Int, by change: Double, in state: SuppressionState, programmes: inout Int) -> Perturbation? {
        for budget in [neighbourhoodCells, neighbourhoodCells * 8] where state.table.cellCount > budget {
            let near = state.neighbourhood(of: cell, cells: budget)
            programmes += 1
            if let found = solve(PerturbationProgram(state: state, cell: cell, change: change, codes: near)) { return found }
        }
        programmes += 1
        return solve(PerturbationProgram(state: state, cell: cell, change: change, codes: state.table.shape.map { Array(0..<$0) }))
    }

    func solve(_ program: PerturbationProgram) -> Perturbation? {
        if program.isInfeasible { return nil }
        guard case let .optimal(_, solution) = solver.solve(program.program, .minimize) else { return nil }
        return program.perturbation(from: solution)
    }
}

/// The cells a perturbation changes, and whether its reverse keeps every value non-negative.
struct Perturbation {
    var touched: [Int]
    var reversible: Bool
}

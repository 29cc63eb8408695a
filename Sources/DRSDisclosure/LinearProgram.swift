/// A linear programme in the form every solver library takes: bounded columns, rows as sparse
/// ranges `rowLower ≤ a·x ≤ rowUpper`, a linear objective. The core builds them (the attacker's
/// programme, the protection programmes); a solver library answers them through
/// `LinearProgramSolver` (the platform's is COIN-OR CLP, module DRSSolverCLP).
public struct LinearProgram: Sendable {
    public var columnLower: [Double]
    public var columnUpper: [Double]
    public var objective: [Double]
    public var rowLower: [Double]
    public var rowUpper: [Double]
    /// Row-major sparse matrix: row r holds entries rowStarts[r] ..< rowStarts[r + 1].
    public var rowStarts: [Int32]
    public var rowColumns: [Int32]
    public var rowValues: [Double]

    public init(columns: Int) {
        columnLower = Array(repeating: 0, count: columns)
        columnUpper = Array(repeating: .infinity, count: columns)
        objective = Array(repeating: 0, count: columns)
        rowLower = []
        rowUpper = []
        rowStarts = [0]
        rowColumns = []
        rowValues = []
    }

    public var columnCount: Int { columnLower.count }
    public var rowCount: Int { rowLower.count }

    /// Appends the row `Σ coefficient·x[column] = rightHandSide`.
    public mutating func addEquality(_ entries: [(column: Int, coefficient: Double)], equals rightHandSide: Double) {
        for entry in entries {
            rowColumns.append(Int32(truncatingIfNeeded: entry.column))
            rowValues.append(entry.coefficient)
        }
        rowStarts.append(Int32(truncatingIfNeeded: rowColumns.count))
        rowLower.append(rightHandSide)
        rowUpper.append(rightHandSide)
    }
}

public enum OptimizationSense: Sendable {
    case minimize, maximize
}

public enum LinearProgramOutcome: Sendable {
    case optimal(objective: Double, solution: [Double])
    case unbounded
    case infeasible
    /// The solver stopped without an answer (iteration limit, numerical trouble).
    case failed(String)
}

/// A solver library behind the core's programmes.
public protocol LinearProgramSolver: Sendable {
    /// Solves one programme from scratch.
    func solve(_ program: LinearProgram, _ sense: OptimizationSense) -> LinearProgramOutcome
    /// A loaded programme whose objective is changed between solves, each warm-started from the
    /// last basis (the attacker's programme is solved twice per sensitive cell).
    func load(_ program: LinearProgram) -> any LoadedLinearProgram
}

public protocol LoadedLinearProgram: AnyObject {
    /// The minimum or maximum of one column, every other objective coefficient zero.
    func optimize(column: Int, _ sense: OptimizationSense) -> LinearProgramOutcome
}

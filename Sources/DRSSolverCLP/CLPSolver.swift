import CClp
import DRSDisclosure

/// Disclosure control's linear programmes answered by COIN-OR CLP (a maintained simplex library,
/// EPL-2.0; docs/disclosure-control.md says why this one). Each call owns its own CLP model, so
/// solves on different tasks never share state.
public struct CLPSolver: LinearProgramSolver {
    public init() {}

    public func solve(_ program: LinearProgram, _ sense: OptimizationSense) -> LinearProgramOutcome {
        guard let model = CLPModel(program) else { return .failed("CLP 无法建立模型") }
        return model.solve(sense, warm: false)
    }

    public func load(_ program: LinearProgram) -> any LoadedLinearProgram {
        CLPLoadedProgram(model: CLPModel(program))
    }
}

/// A loaded programme whose objective selects one column at a time.
final class CLPLoadedProgram: LoadedLinearProgram {
    private let model: CLPModel?
    private var selected: Int?
    private var solvedOnce = false

    init(model: CLPModel?) { self.model = model }

    func optimize(column: Int, _ sense: OptimizationSense) -> LinearProgramOutcome {
        guard let model else { return .failed("CLP 无法建立模型") }
        guard column >= 0, column < model.columnCount else { return .failed("没有第 \(column) 列") }
        if selected != column {
            if let previous = selected { model.setObjective(previous, 0) }
            model.setObjective(column, 1)
            selected = column
        }
        let outcome = model.solve(sense, warm: solvedOnce)
        solvedOnce = true
        if case .failed = outcome {
            // A warm start can stall on a feasible programme: solve it afresh once.
            return model.solve(sense, warm: false)
        }
        return outcome
    }
}

/// One CLP simplex model, freed with its owner.
final class CLPModel {
    private let handle: UnsafeMutableRawPointer
    let columnCount: Int

    init?(_ program: LinearProgram) {
        guard let handle = Clp_newModel() else { return nil }
        self.handle = handle
        columnCount = program.columnCount
        Clp_setLogLevel(handle, 0)
        Clp_setMaximumIterations(handle, 1_000_000)
        let columns = ColumnMajor(program)
        let bound = { (value: Double) in value.isInfinite ? (value > 0 ? Double.greatestFiniteMagnitude : -Double.greatestFiniteMagnitude) : value }
        let lower = program.columnLower.map(bound), upper = program.columnUpper.map(bound)
        let rowLower = program.rowLower.map(bound), rowUpper = program.rowUpper.map(bound)
        Clp_loadProblem(handle, Int32(program.columnCount), Int32(program.rowCount),
                        columns.starts, columns.rows, columns.values,
                        lower, upper, program.objective, rowLower, rowUpper)
    }

    deinit { Clp_deleteModel(handle) }

    func setObjective(_ column: Int, _ coefficient: Double) {
        guard let objective = Clp_objective(handle), column < columnCount else { return }
        objective[column] = coefficient
    }

    func solve(_ sense: OptimizationSense, warm: Bool) -> LinearProgramOutcome {
        Clp_setObjSense(handle, sense == .minimize ? 1 : -1)
        if warm { _ = Clp_primal(handle, 0) } else { _ = Clp_dual(handle, 0) }
        switch Clp_status(handle) {
        case 0:
            var solution = Array(repeating: 0.0, count: columnCount)
            if let values = Clp_getColSolution(handle) {
                for column in 0..<columnCount { solution[column] = values[column] }
            }
            return .optimal(objective: Clp_getObjValue(handle), solution: solution)
        case 1: return .infeasible
        case 2: return .unbounded
        case 3: return .failed("CLP 达到迭代上限")
        default: return .failed("CLP 数值问题（状态 \(Clp_status(handle))）")
        }
    }
}

/// The row-major matrix of a programme turned column-major, as CLP loads it.
private struct ColumnMajor {
    var starts: [CoinBigIndex]
    var rows: [Int32]
    var values: [Double]

    init(_ program: LinearProgram) {
        var counts = Array(repeating: 0, count: program.columnCount + 1)
        for column in program.rowColumns { counts[Int(column) + 1] += 1 }
        for c in 0..<program.columnCount { counts[c + 1] += counts[c] }
        starts = counts.map { CoinBigIndex($0) }
        var next = counts
        rows = Array(repeating: 0, count: program.rowColumns.count)
        values = Array(repeating: 0, count: program.rowColumns.count)
        for row in 0..<program.rowCount {
            for entry in Int(program.rowStarts[row])..<Int(program.rowStarts[row + 1]) {
                let column = Int(program.rowColumns[entry])
                rows[next[column]] = Int32(row)
                values[next[column]] = program.rowValues[entry]
                next[column] += 1
            }
        }
    }
}

/// The intruder's view of a published table, solved: for every sensitive cell, the smallest and the
/// largest value it can have given the published cells, the additivity of every line and
/// non-negative values. A cell fails when that interval does not cover [value − level, value + level]
/// (a published sensitive cell is known exactly and fails at once).
///
/// The suppressed cells split into independent groups (cells linked by a line they share); each
/// group is one linear programme, loaded once and solved twice per sensitive cell, warm-started.
public struct AttackerAudit: Sendable {
    public var solver: any LinearProgramSolver

    public init(solver: any LinearProgramSolver) { self.solver = solver }

    /// The intruder's interval for one sensitive cell, in the table's natural units. A cell passes
    /// when lower ≤ value − min(level, value) and upper ≥ value + level.
    public struct Interval: Sendable, Hashable {
        public var cell: Int
        public var value: Double
        public var level: Double
        public var lower: Double
        /// `.infinity` when nothing bounds the cell from above.
        public var upper: Double
        public var fails: Bool
    }

    public struct Report: Sendable {
        public var intervals: [Interval]
        /// Programmes the solver could not answer (counted as failing cells).
        public var solverProblems: [String]
        public var failing: Int { intervals.lazy.filter(\.fails).count }
    }

    /// Audits a pattern (one flag per cell) against the sensitivity of every cell.
    public func audit(_ table: MagnitudeTable, sensitivity: [CellSensitivity], suppressed: [Bool]) -> Report {
        let groups = SuppressedGroups(table: table, suppressed: suppressed)
        let targets = (0..<table.cellCount).filter { sensitivity[$0].isPrimary }
        return audit(targets, table, sensitivity, suppressed, groups)
    }

    /// The same audit on several tasks at once (each with its own programmes): the sensitive cells
    /// are dealt out in turn, so every task gets a share of every group.
    public func audit(_ table: MagnitudeTable, sensitivity: [CellSensitivity], suppressed: [Bool], tasks: Int) async -> Report {
        let groups = SuppressedGroups(table: table, suppressed: suppressed)
        let targets = (0..<table.cellCount).filter { sensitivity[$0].isPrimary }
        let count = max(1, min(tasks, targets.count))
        let parts = await withTaskGroup(of: Report.self) { taskGroup in
            for part in 0..<count {
                let share = stride(from: part, to: targets.count, by: count).map { targets[$0] }
                taskGroup.addTask { audit(share, table, sensitivity, suppressed, groups) }
            }
            var reports: [Report] = []
            for await report in taskGroup { reports.append(report) }
            return reports
        }
        return Report(intervals: parts.flatMap(\.intervals).sorted { $0.cell < $1.cell },
                      solverProblems: parts.flatMap(\.solverProblems))
    }

    private func audit(_ targets: [Int], _ table: MagnitudeTable, _ sensitivity: [CellSensitivity], _ suppressed: [Bool],
                       _ groups: SuppressedGroups) -> Report {
        let unit = Double(pow10(table.scale))
        var intervals: [Interval] = []
        var problems: [String] = []
        var loaded: [Int: any LoadedLinearProgram] = [:]
        for cell in targets {
            let value = Double(table.values[cell]) / unit
            let level = sensitivity[cell].level / unit
            guard suppressed[cell], let group = groups.group(of: cell) else {
                intervals.append(Interval(cell: cell, value: value, level: level, lower: value, upper: value, fails: true))
                continue
            }
            let program: any LoadedLinearProgram
            if let known = loaded[group] { program = known } else {
                // In units of the last decimal: exact integers up to 2^53, so every line balances exactly.
                program = solver.load(groups.program(group))
                loaded[group] = program
            }
            let column = groups.column(of: cell)
            let lower = bound(program.optimize(column: column, .minimize), cell: cell, table: table, problems: &problems) / unit
            let upper = bound(program.optimize(column: column, .maximize), cell: cell, table: table, problems: &problems) / unit
            let tolerance = 1e-8 * max(1, value)
            // Below zero nothing needs hiding: the requirement downwards is capped at the value.
            let fails = lower.isNaN || upper.isNaN || lower > value - min(level, value) + tolerance || upper < value + level - tolerance
            intervals.append(Interval(cell: cell, value: value, level: level, lower: lower, upper: upper, fails: fails))
        }
        return Report(intervals: intervals, solverProblems: problems)
    }

    private func bound(_ outcome: LinearProgramOutcome, cell: Int, table: MagnitudeTable, problems: inout [String]) -> Double {
        switch outcome {
        case let .optimal(objective, _): return objective
        case .unbounded: return .infinity
        case .infeasible:
            problems.append("\(table.labels(of: cell).joined(separator: ",")): 攻击者线性规划无可行解（表不可加？）")
            return .nan
        case let .failed(reason):
            problems.append("\(table.labels(of: cell).joined(separator: ",")): \(reason)")
            return .nan
        }
    }
}

func pow10(_ n: Int) -> Int128 { (0..<max(n, 0)).reduce(1) { acc, _ in acc * 10 } }

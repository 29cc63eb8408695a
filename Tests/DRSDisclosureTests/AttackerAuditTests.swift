import DRSCore
import DRSDisclosure
import DRSSolverCLP
import Testing

/// The intruder's intervals, solved by hand from the published cells, the additivity of every line
/// and non-negativity, compared with what the audit's linear programmes find.
@Suite struct AttackerAuditTests {
    private let audit = AttackerAudit(solver: CLPSolver())
    private let tolerance = 1e-6

    /// A table with one contribution per inner cell: `rows[r][c]` at row code `rowCodes[r]` and
    /// column code `columnCodes[c]`, in units of 10^-scale.
    private func table(_ rows: [[Int]], rowCodes: [String], columnCodes: [String], scale: Int = 0) throws -> MagnitudeTable {
        var contributions: [Contribution] = []
        for (r, row) in rows.enumerated() {
            for (c, units) in row.enumerated() {
                contributions.append(Contribution(coordinates: [rowCodes[r], columnCodes[c]],
                                                  value: ExactDecimal(units: Int128(units), scale: scale)))
            }
        }
        return try MagnitudeTable.build(dimensionNames: ["行", "列"], contributions: contributions, largestKept: 1)
    }

    private func oneDimensional(_ values: [Int]) throws -> MagnitudeTable {
        let codes = ["A", "B", "C", "D", "E"]
        let contributions = values.enumerated().map { Contribution(coordinates: [codes[$0.offset]], value: ExactDecimal($0.element)) }
        return try MagnitudeTable.build(dimensionNames: ["行业"], contributions: contributions, largestKept: 1)
    }

    /// Sensitivities with the given cells primary at the given level (units of 10^-scale).
    private func sensitivity(_ table: MagnitudeTable, primary: [String: Double], labels: (String) -> [String]) throws -> [CellSensitivity] {
        var result = Array(repeating: CellSensitivity.safe, count: table.cellCount)
        for (name, level) in primary { result[try #require(table.cell(labels: labels(name)))] = CellSensitivity(isPrimary: true, level: level) }
        return result
    }

    private func suppressed(_ table: MagnitudeTable, _ names: [String], labels: (String) -> [String]) throws -> [Bool] {
        var result = Array(repeating: false, count: table.cellCount)
        for name in names { result[try #require(table.cell(labels: labels(name)))] = true }
        return result
    }

    /// "AX" → ["A", "X"]; "A+" → ["A", "Total"]; "+X" → ["Total", "X"]; "++" → the grand total.
    private static func pair(_ name: String) -> [String] {
        name.map { $0 == "+" ? TableDimension.totalCode : String($0) }
    }

    private func interval(_ report: AttackerAudit.Report, _ table: MagnitudeTable, _ labels: [String]) throws -> AttackerAudit.Interval {
        let cell = try #require(table.cell(labels: labels))
        return try #require(report.intervals.first { $0.cell == cell })
    }

    private func expectInterval(_ found: AttackerAudit.Interval, _ lower: Double, _ upper: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(abs(found.lower - lower) < tolerance, "lower \(found.lower), expected \(lower)", sourceLocation: sourceLocation)
        if upper.isInfinite {
            #expect(found.upper == .infinity, "upper \(found.upper), expected ∞", sourceLocation: sourceLocation)
        } else {
            #expect(abs(found.upper - upper) < tolerance, "upper \(found.upper), expected \(upper)", sourceLocation: sourceLocation)
        }
    }

    // 2 × 2 with totals:      X    Y  | Total
    //                    A   10   20  |  30
    //                    B   30   40  |  70
    //                Total   40   60  | 100
    private func squareTable(scale: Int = 0) throws -> MagnitudeTable {
        let factor = [1, 10, 100][scale]
        return try table([[10 * factor, 20 * factor], [30 * factor, 40 * factor]], rowCodes: ["A", "B"], columnCodes: ["X", "Y"], scale: scale)
    }

    @Test func aSuppressedRectangleGivesHandSolvedIntervals() throws {
        // With the four inner cells hidden, AX = t, AY = 30 − t, BX = 40 − t, BY = 30 + t, all ≥ 0:
        // 0 ≤ t ≤ 30. So AX ∈ [0, 30], AY ∈ [0, 30], BX ∈ [10, 40], BY ∈ [30, 60].
        let table = try squareTable()
        let inner = ["AX", "AY", "BX", "BY"]
        let pattern = try suppressed(table, inner, labels: Self.pair)
        // Level 10 fits every interval exactly: [0, 20] ⊆ [0, 30], [10, 30] ⊆ [0, 30],
        // [20, 40] ⊆ [10, 40], [30, 50] ⊆ [30, 60].
        let fitting = try sensitivity(table, primary: Dictionary(uniqueKeysWithValues: inner.map { ($0, 10.0) }), labels: Self.pair)
        let report = audit.audit(table, sensitivity: fitting, suppressed: pattern)
        #expect(report.intervals.count == 4)
        #expect(report.solverProblems.isEmpty)
        #expect(report.failing == 0)
        expectInterval(try interval(report, table, ["A", "X"]), 0, 30)
        expectInterval(try interval(report, table, ["A", "Y"]), 0, 30)
        expectInterval(try interval(report, table, ["B", "X"]), 10, 40)
        expectInterval(try interval(report, table, ["B", "Y"]), 30, 60)
        #expect(try interval(report, table, ["B", "Y"]).value == 40)
        #expect(try interval(report, table, ["B", "Y"]).level == 10)

        // Level 11 overreaches three of them: AY needs 31, BX 41, BY 29. AX would need −1, but below
        // zero nothing needs hiding (the requirement downwards is capped at the value): it passes.
        let tooWide = try sensitivity(table, primary: Dictionary(uniqueKeysWithValues: inner.map { ($0, 11.0) }), labels: Self.pair)
        let failing = audit.audit(table, sensitivity: tooWide, suppressed: pattern)
        #expect(failing.failing == 3)
        #expect(try !interval(failing, table, ["A", "X"]).fails)
        expectInterval(try interval(failing, table, ["A", "X"]), 0, 30)
    }

    @Test func intervalsAreInNaturalUnits() throws {
        // The same table at two decimals (10.00, 20.00, …): the same intervals, levels divided by 100.
        let table = try squareTable(scale: 2)
        #expect(table.scale == 2)
        let pattern = try suppressed(table, ["AX", "AY", "BX", "BY"], labels: Self.pair)
        let levels = try sensitivity(table, primary: ["AX": 1_000], labels: Self.pair)
        let report = audit.audit(table, sensitivity: levels, suppressed: pattern)
        let found = try interval(report, table, ["A", "X"])
        expectInterval(found, 0, 30)
        #expect(abs(found.value - 10) < tolerance)
        #expect(abs(found.level - 10) < tolerance)
        #expect(!found.fails)
    }

    @Test func aPublishedPrimaryCellFailsAtOnce() throws {
        let table = try squareTable()
        let levels = try sensitivity(table, primary: ["AX": 1], labels: Self.pair)
        let report = audit.audit(table, sensitivity: levels, suppressed: Array(repeating: false, count: table.cellCount))
        let found = try interval(report, table, ["A", "X"])
        #expect(found.lower == 10)
        #expect(found.upper == 10)
        #expect(found.fails)
        #expect(report.failing == 1)
    }

    @Test func onlyPrimaryCellsAreReported() throws {
        // BY is suppressed but safe: it widens AX's interval and gets none of its own.
        let table = try squareTable()
        let pattern = try suppressed(table, ["AX", "AY", "BX", "BY"], labels: Self.pair)
        let levels = try sensitivity(table, primary: ["AX": 5], labels: Self.pair)
        let report = audit.audit(table, sensitivity: levels, suppressed: pattern)
        let primary = try #require(table.cell(labels: ["A", "X"]))
        #expect(report.intervals.map(\.cell) == [primary])
    }

    @Test func aSingleHiddenCellInALineIsPinned() throws {
        // A = 5, B = 7, C = 9, Total = 21; only B hidden: B = 21 − 5 − 9 = 7 exactly.
        let table = try oneDimensional([5, 7, 9])
        let labels: (String) -> [String] = { [$0] }
        let report = audit.audit(table, sensitivity: try sensitivity(table, primary: ["B": 1], labels: labels),
                                 suppressed: try suppressed(table, ["B"], labels: labels))
        let found = try interval(report, table, ["B"])
        expectInterval(found, 7, 7)
        #expect(found.fails)
    }

    @Test func twoHiddenRowCellsArePinnedByTheirColumns() throws {
        // AX and AY hidden, everything else published: AX = 40 − 30 = 10, AY = 60 − 40 = 20.
        let table = try squareTable()
        let report = audit.audit(table, sensitivity: try sensitivity(table, primary: ["AX": 1, "AY": 1], labels: Self.pair),
                                 suppressed: try suppressed(table, ["AX", "AY"], labels: Self.pair))
        expectInterval(try interval(report, table, ["A", "X"]), 10, 10)
        expectInterval(try interval(report, table, ["A", "Y"]), 20, 20)
        #expect(report.failing == 2)
    }

    @Test func hiddenTotalsAreBoundedByThePublishedGrandTotal() throws {
        // Both rows hidden with their totals; column totals and the grand total published:
        // AX = t, BX = 40 − t, so AX ∈ [0, 40]; AY ∈ [0, 60]; A's total AX + AY ∈ [0, 100].
        let table = try squareTable()
        let report = audit.audit(table, sensitivity: try sensitivity(table, primary: ["AX": 10, "AY": 20, "A+": 30], labels: Self.pair),
                                 suppressed: try suppressed(table, ["AX", "AY", "A+", "BX", "BY", "B+"], labels: Self.pair))
        expectInterval(try interval(report, table, ["A", "X"]), 0, 40)
        expectInterval(try interval(report, table, ["A", "Y"]), 0, 60)
        expectInterval(try interval(report, table, ["A", "Total"]), 0, 100)
        #expect(report.failing == 0)
    }

    @Test func aHiddenTotalLeavesCellsUnboundedAbove() throws {
        // A = 5, B = 7, C = 9; A, B and the total hidden: A + B − Total = −9 only, so A ∈ [0, ∞),
        // Total ∈ [9, ∞).
        let table = try oneDimensional([5, 7, 9])
        let labels: (String) -> [String] = { [$0] }
        let pattern = try suppressed(table, ["A", "B", "Total"], labels: labels)
        let report = audit.audit(table, sensitivity: try sensitivity(table, primary: ["A": 5, "Total": 12], labels: labels),
                                 suppressed: pattern)
        #expect(report.solverProblems.isEmpty)
        expectInterval(try interval(report, table, ["A"]), 0, .infinity)
        expectInterval(try interval(report, table, ["Total"]), 9, .infinity)
        #expect(report.failing == 0)
        // A level above its value passes: downwards the requirement stops at zero, upwards A is free.
        let tooWide = audit.audit(table, sensitivity: try sensitivity(table, primary: ["A": 6], labels: labels), suppressed: pattern)
        #expect(tooWide.failing == 0)
        // Published, the same cell fails at once.
        let published = audit.audit(table, sensitivity: try sensitivity(table, primary: ["C": 1], labels: labels), suppressed: pattern)
        #expect(published.failing == 1)
    }

    @Test func independentGroupsAreSolvedSeparately() throws {
        //        W   X   Y   Z
        //   A    1   2   3   4
        //   B    5   6   7   8
        //   C    9  10  11  12
        //   D   13  14  15  16
        // Rectangle {AW, AX, BW, BX}: AW = t, AX = 3 − t, BW = 6 − t, BX = 5 + t: AW ∈ [0, 3].
        // Rectangle {CY, CZ, DY, DZ}: CY = s, CZ = 23 − s, DY = 26 − s, DZ = 5 + s: CY ∈ [0, 23],
        // DZ ∈ [5, 28]. No line meets both rectangles.
        let values = (0..<4).map { r in (0..<4).map { c in 1 + 4 * r + c } }
        let table = try table(values, rowCodes: ["A", "B", "C", "D"], columnCodes: ["W", "X", "Y", "Z"])
        let hidden = ["AW", "AX", "BW", "BX", "CY", "CZ", "DY", "DZ"]
        let report = audit.audit(table, sensitivity: try sensitivity(table, primary: ["AW": 1, "CY": 11, "DZ": 11], labels: Self.pair),
                                 suppressed: try suppressed(table, hidden, labels: Self.pair))
        expectInterval(try interval(report, table, ["A", "W"]), 0, 3)
        expectInterval(try interval(report, table, ["C", "Y"]), 0, 23)
        expectInterval(try interval(report, table, ["D", "Z"]), 5, 28)
        // CY: [0, 22] ⊆ [0, 23]; DZ: [5, 27] ⊆ [5, 28]; AW: [0, 2] ⊆ [0, 3].
        #expect(report.failing == 0)
    }

    // MARK: every inner cell hidden

    /// With every inner cell of a two-dimensional table hidden and every total published, the
    /// intruder's interval of cell (r, c) is [max(0, R_r + C_c − T), min(R_r, C_c)] (the Fréchet
    /// bounds of a transportation polytope), computed here exactly in units.
    private func expectFrechetBounds(_ rows: [[Int]], scale: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let rowCodes = rows.indices.map { "r\($0)" }
        let columnCodes = rows[0].indices.map { "c\($0)" }
        let table = try table(rows, rowCodes: rowCodes, columnCodes: columnCodes, scale: scale)
        var levels = Array(repeating: CellSensitivity.safe, count: table.cellCount)
        var hidden = Array(repeating: false, count: table.cellCount)
        for cell in 0..<table.cellCount where !table.isMarginal(cell) {
            hidden[cell] = true
            levels[cell] = CellSensitivity(isPrimary: true, level: 1)
        }
        let report = audit.audit(table, sensitivity: levels, suppressed: hidden)
        #expect(report.solverProblems.isEmpty, "\(report.solverProblems)", sourceLocation: sourceLocation)
        let unit = [1.0, 10, 100][scale]
        let rowTotals = rows.map { Int128($0.reduce(0, +)) }
        let columnTotals = columnCodes.indices.map { c in Int128(rows.reduce(0) { $0 + $1[c] }) }
        let total = rowTotals.reduce(0, +)
        for (r, rowCode) in rowCodes.enumerated() {
            for (c, columnCode) in columnCodes.enumerated() {
                let found = try interval(report, table, [rowCode, columnCode])
                let lower = Double(max(0, rowTotals[r] + columnTotals[c] - total)) / unit
                let upper = Double(min(rowTotals[r], columnTotals[c])) / unit
                // 1e-6 absolute, relative for figures whose last bit is larger than that.
                let tolerance = 1e-6 + 1e-15 * upper
                #expect(abs(found.lower - lower) <= tolerance, "\(rowCode),\(columnCode) lower \(found.lower), expected \(lower)", sourceLocation: sourceLocation)
                #expect(abs(found.upper - upper) <= tolerance, "\(rowCode),\(columnCode) upper \(found.upper), expected \(upper)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func everyInnerCellHiddenGivesTheFrechetBounds() throws {
        //        c0  c1  c2 | R
        //   r0    1   2   3 |  6
        //   r1    4   5   6 | 15
        //   r2    7   8  90 | 105
        //   C    12  15  99 | 126
        // e.g. r2,c2 ∈ [max(0, 105 + 99 − 126), min(105, 99)] = [78, 99]; r0,c0 ∈ [0, 6].
        try expectFrechetBounds([[1, 2, 3], [4, 5, 6], [7, 8, 90]], scale: 0)
        try expectFrechetBounds([[1, 2, 3], [4, 5, 6], [7, 8, 90]], scale: 2)
    }

    /// Known bug: SuppressedGroups.program (SuppressedGroups.swift, `program.addEquality(entries,
    /// equals: -Double(published) / unit)`) divides each line's exact sum by 10^scale in Double. For
    /// figures of about 10^8 with cents the right-hand sides are no longer consistent with one
    /// another (they differ by an ulp, ~1e-7), CLP's primal tolerance is 1e-7, and it calls the
    /// intruder's programme infeasible: the audit reports “攻击者线性规划无可行解（表不可加？）” and
    /// NaN bounds for an additive table. Building the programme in units of 10^-scale (integers,
    /// exact below 2^53) and dividing the optimum by the unit afterwards solves it.
    @Test func largeFiguresWithCentsStayFeasible() throws {
        let rows = [
            [123_456_789_01, 234_567_890_12, 345_678_901_23],
            [456_789_012_34, 567_890_123_45, 678_901_234_56],
            [789_012_345_67, 890_123_456_78, 901_234_567_89],
        ]
        try expectFrechetBounds(rows, scale: 2)
    }
}

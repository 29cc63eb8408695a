import DRSCore
import DRSDisclosure
import Testing

/// Building a table: every cell's value and number of contributors, marginals included, exact
/// decimal sums, the cell numbering and the input it refuses.
@Suite struct MagnitudeTableTests {
    private func unit(_ coordinates: String..., value: ExactDecimal) -> Contribution {
        Contribution(coordinates: coordinates, value: value)
    }

    private func value(_ table: MagnitudeTable, _ labels: String...) throws -> Int128 {
        table.values[try #require(table.cell(labels: labels))]
    }

    private func frequency(_ table: MagnitudeTable, _ labels: String...) throws -> Int {
        table.contributors[try #require(table.cell(labels: labels))]
    }

    @Test func oneDimensionalTable() throws {
        let table = try MagnitudeTable.build(dimensionNames: ["行业"], contributions: [
            unit("C", value: 5), unit("A", value: 1), unit("A", value: 2), unit("B", value: 10), unit("C", value: 0),
        ], largestKept: 2)
        // Codes are sorted; the total is the last index.
        #expect(table.dimensions == [TableDimension(name: "行业", codes: ["A", "B", "C"])])
        #expect(table.shape == [4])
        #expect(table.scale == 0)
        #expect(table.values == [3, 10, 5, 18])
        #expect(table.contributors == [2, 1, 2, 5])
        #expect(table.labels(of: 3) == ["Total"])
        #expect((0..<4).map { table.largestContribution($0, rank: 0) } == [2, 10, 5, 10])
        #expect((0..<4).map { table.largestContribution($0, rank: 1) } == [1, 0, 0, 5])
        // Ranks beyond what is kept read as 0.
        #expect(table.largestContribution(3, rank: 2) == 0)
        #expect(table.isMarginal(3))
        #expect(!table.isMarginal(0))
    }

    @Test func twoDimensionalTableWithEveryMarginal() throws {
        //            X     Y    Z   | Total
        //   A        1     2    –   |   3
        //   B        4+5   –    6   |  15
        //   Total   10     2    6   |  18
        let table = try MagnitudeTable.build(dimensionNames: ["行业", "地区"], contributions: [
            unit("A", "X", value: 1), unit("A", "Y", value: 2),
            unit("B", "X", value: 4), unit("B", "X", value: 5), unit("B", "Z", value: 6),
        ], largestKept: 1)
        #expect(table.shape == [3, 4])
        let expectedValues: [[Int128]] = [[1, 2, 0, 3], [9, 0, 6, 15], [10, 2, 6, 18]]
        let expectedCounts = [[1, 1, 0, 2], [2, 0, 1, 3], [3, 1, 1, 5]]
        for (r, row) in ["A", "B", "Total"].enumerated() {
            for (c, column) in ["X", "Y", "Z", "Total"].enumerated() {
                #expect(try value(table, row, column) == expectedValues[r][c], "\(row),\(column)")
                #expect(try frequency(table, row, column) == expectedCounts[r][c], "\(row),\(column)")
            }
        }
        // Mixed-radix numbering: row-major, the total last in each dimension.
        #expect(table.cell(labels: ["B", "Y"]) == 1 * 4 + 1)
        #expect(table.strides == [4, 1])
        #expect(table.position(of: 6) == [1, 2])
        #expect(table.cell(at: [2, 3]) == 11)
    }

    @Test func threeDimensionalTableAgreesWithADirectSum() throws {
        // A deterministic spread of records; every cell is checked against a sum over the records
        // that fall in it (`Total` matching any code).
        var seed: UInt64 = 12_345
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 33) % bound
        }
        let codes = [["A", "B", "C"], ["P", "Q"], ["u", "v", "w", "x"]]
        // Four records first so that every code occurs.
        var records = (0..<4).map { i in
            Contribution(coordinates: [codes[0][i % 3], codes[1][i % 2], codes[2][i]], value: ExactDecimal(units: Int128(i), scale: 1))
        }
        for _ in 0..<40 {
            let coordinates = codes.map { $0[next($0.count)] }
            records.append(Contribution(coordinates: coordinates, value: ExactDecimal(units: Int128(next(10_000)), scale: 1)))
        }
        let table = try MagnitudeTable.build(dimensionNames: ["d1", "d2", "d3"], contributions: records, largestKept: 2)
        #expect(table.shape == [4, 3, 5])
        #expect(table.cellCount == 60)
        #expect(table.scale == 1)
        for cell in 0..<table.cellCount {
            let labels = table.labels(of: cell)
            let inside = records.filter { record in
                zip(labels, record.coordinates).allSatisfy { $0 == TableDimension.totalCode || $0 == $1 }
            }
            let units = inside.map(\.value.units)
            #expect(table.values[cell] == units.reduce(0, +), "\(labels)")
            #expect(table.contributors[cell] == inside.count, "\(labels)")
            let sorted = units.sorted(by: >) + [0, 0]
            #expect(table.largestContribution(cell, rank: 0) == sorted[0], "\(labels)")
            #expect(table.largestContribution(cell, rank: 1) == sorted[1], "\(labels)")
            #expect(table.isMarginal(cell) == labels.contains(TableDimension.totalCode))
        }
    }

    @Test func labelsAndCellsRoundTrip() throws {
        let table = try MagnitudeTable.build(dimensionNames: ["a", "b", "c"], contributions: [
            unit("1", "x", "p", value: 1), unit("2", "y", "q", value: 1), unit("3", "x", "r", value: 1),
        ], largestKept: 1)
        for cell in 0..<table.cellCount {
            #expect(table.cell(labels: table.labels(of: cell)) == cell)
            #expect(table.cell(at: table.position(of: cell)) == cell)
        }
        #expect(table.cell(labels: ["Total", "Total", "Total"]) == table.cellCount - 1)
        #expect(table.labels(of: table.cellCount - 1) == ["Total", "Total", "Total"])
        #expect(table.labels(of: 0) == ["1", "x", "p"])
        // Unknown codes and the wrong number of labels have no cell.
        #expect(table.cell(labels: ["4", "x", "p"]) == nil)
        #expect(table.cell(labels: ["1", "x"]) == nil)
        #expect(table.cell(labels: ["1", "x", "p", "Total"]) == nil)
    }

    @Test func decimalSumsAreExact() throws {
        // 0.1 + 0.2 is exactly 0.3.
        let table = try MagnitudeTable.build(dimensionNames: ["行业"], contributions: [
            unit("A", value: ExactDecimal(units: 1, scale: 1)), unit("B", value: ExactDecimal(units: 2, scale: 1)),
        ], largestKept: 1)
        #expect(table.scale == 1)
        #expect(table.values == [1, 2, 3])
        #expect(table.decimal(try value(table, "Total")) == ExactDecimal(units: 3, scale: 1))
        #expect(table.decimal(try value(table, "Total")).description == "0.3")
    }

    @Test func mixedScalesUseTheLargest() throws {
        // 1.5 and 2.25 are kept as 150 and 225 hundredths; the total is 3.75.
        let table = try MagnitudeTable.build(dimensionNames: ["行业"], contributions: [
            unit("A", value: ExactDecimal(units: 15, scale: 1)), unit("B", value: ExactDecimal(units: 225, scale: 2)),
            unit("C", value: 7),
        ], largestKept: 1)
        #expect(table.scale == 2)
        #expect(table.values == [150, 225, 700, 1_075])
        #expect(table.decimal(try value(table, "Total")) == ExactDecimal(units: 1_075, scale: 2))
    }

    @Test func noContributionsMakeAnEmptyTotal() throws {
        let table = try MagnitudeTable.build(dimensionNames: ["行业", "地区"], contributions: [], largestKept: 1)
        #expect(table.shape == [1, 1])
        #expect(table.values == [0])
        #expect(table.contributors == [0])
        #expect(table.labels(of: 0) == ["Total", "Total"])
    }

    /// Input a table cannot be built from.
    struct BadInput: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var dimensionNames: [String]
        var contributions: [Contribution]
    }

    static let badInputs: [BadInput] = [
        BadInput(testDescription: "negative value", dimensionNames: ["行业"],
                 contributions: [Contribution(coordinates: ["A"], value: 3), Contribution(coordinates: ["B"], value: ExactDecimal(units: -1, scale: 2))]),
        BadInput(testDescription: "too few coordinates", dimensionNames: ["行业", "地区"],
                 contributions: [Contribution(coordinates: ["A"], value: 1)]),
        BadInput(testDescription: "too many coordinates", dimensionNames: ["行业"],
                 contributions: [Contribution(coordinates: ["A", "X"], value: 1)]),
        BadInput(testDescription: "Total as a code", dimensionNames: ["行业", "地区"],
                 contributions: [Contribution(coordinates: ["A", "Total"], value: 1)]),
        BadInput(testDescription: "empty code", dimensionNames: ["行业"],
                 contributions: [Contribution(coordinates: [""], value: 1)]),
        BadInput(testDescription: "five dimensions", dimensionNames: ["a", "b", "c", "d", "e"],
                 contributions: [Contribution(coordinates: ["1", "2", "3", "4", "5"], value: 1)]),
        BadInput(testDescription: "no dimensions", dimensionNames: [], contributions: []),
        BadInput(testDescription: "more than 6 decimals", dimensionNames: ["行业"],
                 contributions: [Contribution(coordinates: ["A"], value: ExactDecimal(units: 1, scale: 7))]),
    ]

    @Test(arguments: badInputs)
    func refusesBadInput(_ input: BadInput) {
        #expect(throws: TableBuildError.self) {
            try MagnitudeTable.build(dimensionNames: input.dimensionNames, contributions: input.contributions, largestKept: 2)
        }
    }

    @Test func fourDimensionsAreAllowed() throws {
        let table = try MagnitudeTable.build(dimensionNames: ["a", "b", "c", "d"], contributions: [
            Contribution(coordinates: ["1", "2", "3", "4"], value: 9), Contribution(coordinates: ["1", "2", "3", "5"], value: 1),
        ], largestKept: 1)
        #expect(table.shape == [2, 2, 2, 3])
        #expect(table.values[table.cellCount - 1] == 10)
        #expect(table.contributors[table.cellCount - 1] == 2)
    }
}

/// Hostile microdata: many distinct codes in every dimension must be refused before a table of
/// their product is allocated.
@Suite struct MagnitudeTableBoundTests {
    @Test func aTableLargerThanTheBoundIsRefused() {
        // 200 distinct codes in each of three dimensions: 201³ ≈ 8.1 million cells > 2 million.
        let contributions = (0..<200).map { i in
            Contribution(coordinates: ["p\(i)", "t\(i)", "s\(i)"], value: 1)
        }
        #expect(throws: TableBuildError.self) {
            try MagnitudeTable.build(dimensionNames: ["province", "type", "industry"], contributions: contributions, largestKept: 2)
        }
        // 100 in each: 101³ ≈ 1.03 million cells, inside the bound.
        #expect(throws: Never.self) {
            try MagnitudeTable.build(dimensionNames: ["province", "type", "industry"],
                                     contributions: Array(contributions.prefix(100)), largestKept: 1)
        }
    }
}

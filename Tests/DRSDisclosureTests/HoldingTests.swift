import DRSCore
import DRSDisclosure
import Testing

/// Contributors are counted by holding: a headquarters knows its units' figures, so all of one
/// holding's units in a cell are one contributor with one (summed) contribution.
@Suite struct HoldingTests {
    private func unit(_ coordinates: String..., holding: String? = nil, value: Int) -> Contribution {
        Contribution(coordinates: coordinates, holding: holding, value: ExactDecimal(value))
    }

    private func build(_ names: [String], _ contributions: [Contribution]) throws -> MagnitudeTable {
        try MagnitudeTable.build(dimensionNames: names, contributions: contributions, largestKept: 3)
    }

    @Test func threeUnitsOfOneHoldingAreOneContributor() throws {
        let table = try build(["行业"], [
            unit("A", holding: "H", value: 40), unit("A", holding: "H", value: 30), unit("A", holding: "H", value: 30),
        ])
        let cell = try #require(table.cell(labels: ["A"]))
        #expect(table.contributors[cell] == 1)
        #expect(table.values[cell] == 100)
        // One contribution of 100, not 40, 30, 30.
        #expect(table.largestContribution(cell, rank: 0) == 100)
        #expect(table.largestContribution(cell, rank: 1) == 0)
        // FREQ(3,10) fires: 1 contributor, level 10% of 100 = 10.
        let found = CellSensitivity.assess(table, rules: SafetyRules(rules: [.frequency(minimum: 3, range: 10)]))
        #expect(found[cell] == CellSensitivity(isPrimary: true, level: 10))
    }

    @Test func theSameUnitsWithoutAHoldingAreThreeContributors() throws {
        let table = try build(["行业"], [unit("A", value: 40), unit("A", value: 30), unit("A", value: 30)])
        let cell = try #require(table.cell(labels: ["A"]))
        #expect(table.contributors[cell] == 3)
        #expect(table.largestContribution(cell, rank: 0) == 40)
        #expect(CellSensitivity.assess(table, rules: SafetyRules(rules: [.frequency(minimum: 3, range: 10)]))[cell] == .safe)
    }

    @Test func aHoldingsUnitsAreSummedForThePPercentRule() throws {
        // Holding H: 40 + 30 + 30 = 100; X: 5; Y: 5. Three contributors, so FREQ(3,10) is satisfied,
        // but P(10,1) sees 100, 5, 5: level 10 − (110 − 100 − 5) = 5.
        let table = try build(["行业"], [
            unit("A", holding: "H", value: 40), unit("A", holding: "H", value: 30), unit("A", holding: "H", value: 30),
            unit("A", holding: "X", value: 5), unit("A", value: 5),
        ])
        let cell = try #require(table.cell(labels: ["A"]))
        #expect(table.contributors[cell] == 3)
        #expect((0..<3).map { table.largestContribution(cell, rank: $0) } == [100, 5, 5])
        #expect(CellSensitivity.assess(table, rules: .standard)[cell] == CellSensitivity(isPrimary: true, level: 5))

        // Without the holding the same figures are five contributors 40, 30, 30, 5, 5:
        // 4 − (110 − 40 − 30) < 0, safe.
        let separate = try build(["行业"], [
            unit("A", value: 40), unit("A", value: 30), unit("A", value: 30), unit("A", value: 5), unit("A", value: 5),
        ])
        #expect(CellSensitivity.assess(separate, rules: .standard)[cell] == .safe)
    }

    @Test func aHoldingsUnitsAreSummedForTheDominanceRule() throws {
        // NK(1,85): H holds 50 + 45 = 95 of 100 > 85%: level 100/85·95 − 100 = 11.76…; as separate
        // units the largest holds 50% and the cell is safe.
        let rules = SafetyRules(rules: [.dominance(n: 1, k: 85)])
        let held = try build(["行业"], [
            unit("A", holding: "H", value: 50), unit("A", holding: "H", value: 45), unit("A", value: 5),
        ])
        let found = CellSensitivity.assess(held, rules: rules)[0]
        #expect(found.isPrimary)
        #expect(abs(found.level - (9_500.0 / 85.0 - 100)) < 1e-9)
        let separate = try build(["行业"], [unit("A", value: 50), unit("A", value: 45), unit("A", value: 5)])
        #expect(CellSensitivity.assess(separate, rules: rules)[0] == .safe)
    }

    @Test func aHoldingSpreadOverProvincesIsOneContributorInTheMarginal() throws {
        // H has a unit in each of three provinces; Z one unit in P1. The total has two contributors
        // (H with 10 + 20 + 30 = 60, Z with 5), not four: FREQ(3,10) fires with level 6.5.
        let table = try build(["省份"], [
            unit("P1", holding: "H", value: 10), unit("P2", holding: "H", value: 20), unit("P3", holding: "H", value: 30),
            unit("P1", value: 5),
        ])
        let total = try #require(table.cell(labels: ["Total"]))
        #expect(table.contributors[total] == 2)
        #expect(table.values[total] == 65)
        #expect(table.largestContribution(total, rank: 0) == 60)
        #expect(table.largestContribution(total, rank: 1) == 5)
        #expect(table.contributors[try #require(table.cell(labels: ["P1"]))] == 2)
        #expect(table.contributors[try #require(table.cell(labels: ["P2"]))] == 1)
        let found = CellSensitivity.assess(table, rules: SafetyRules(rules: [.frequency(minimum: 3, range: 10)]))
        #expect(found[total] == CellSensitivity(isPrimary: true, level: 6.5))
    }

    @Test func aHoldingIsCountedOnceInEveryMarginalOfATwoDimensionalTable() throws {
        // Industry × province. H: units in (I1,P1), (I1,P2), (I2,P1). Others: U (I1,P1), V (I2,P2).
        let table = try build(["行业", "省份"], [
            unit("I1", "P1", holding: "H", value: 10), unit("I1", "P2", holding: "H", value: 20),
            unit("I2", "P1", holding: "H", value: 30), unit("I1", "P1", value: 1), unit("I2", "P2", value: 2),
        ])
        func contributors(_ labels: String...) throws -> Int { table.contributors[try #require(table.cell(labels: labels))] }
        func largest(_ labels: String...) throws -> Int128 { table.largestContribution(try #require(table.cell(labels: labels)), rank: 0) }
        #expect(try contributors("I1", "P1") == 2)      // H, U
        #expect(try contributors("I1", "Total") == 2)   // H (10 + 20), U
        #expect(try largest("I1", "Total") == 30)
        #expect(try contributors("Total", "P1") == 2)   // H (10 + 30), U
        #expect(try largest("Total", "P1") == 40)
        #expect(try contributors("I2", "Total") == 2)   // H, V
        #expect(try contributors("Total", "Total") == 3) // H (60), U, V
        #expect(try largest("Total", "Total") == 60)
    }

    @Test func unitsWithoutAHoldingAreEachTheirOwnContributor() throws {
        // nil and "" both mean “no holding”: four separate units, plus H's two units as one.
        let table = try build(["行业"], [
            unit("A", value: 1), unit("A", value: 1), unit("A", holding: "", value: 1), unit("A", holding: "", value: 1),
            unit("A", holding: "H", value: 1), unit("A", holding: "H", value: 1),
        ])
        #expect(table.contributors[0] == 5)
        #expect(table.values[0] == 6)
        #expect(table.largestContribution(0, rank: 0) == 2)
    }

    @Test func differentHoldingsAreDifferentContributors() throws {
        let table = try build(["行业"], [
            unit("A", holding: "H", value: 7), unit("A", holding: "G", value: 7), unit("A", holding: "h", value: 7),
        ])
        #expect(table.contributors[0] == 3)
    }
}

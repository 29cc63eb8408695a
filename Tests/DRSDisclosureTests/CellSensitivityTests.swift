import DRSCore
import DRSDisclosure
import Testing

/// Each primary rule on hand-made cells. Every expected level is worked out by hand in the comment
/// beside it, in units of the last decimal (10^-scale) as `CellSensitivity.level` is.
@Suite struct CellSensitivityTests {
    /// The sensitivity of a one-code table's only inner cell, made of these contributions (each its
    /// own contributor), at the given scale.
    private func sensitivity(_ values: [Int], scale: Int = 0, rules: SafetyRules) throws -> CellSensitivity {
        let contributions = values.map { Contribution(coordinates: ["A"], value: ExactDecimal(units: Int128($0), scale: scale)) }
        let table = try MagnitudeTable.build(dimensionNames: ["行业"], contributions: contributions,
                                             largestKept: rules.largestContributionsNeeded)
        let cell = try #require(table.cell(labels: ["A"]))
        return CellSensitivity.assess(table, rules: rules)[cell]
    }

    private let frequencyOnly = SafetyRules(rules: [.frequency(minimum: 3, range: 10)])

    // MARK: FREQ(3,10)

    @Test func oneContributorIsUnsafeByFrequency() throws {
        // 1 < 3 contributors: unsafe, level 10% of 50 = 5.
        #expect(try sensitivity([50], rules: frequencyOnly) == CellSensitivity(isPrimary: true, level: 5))
    }

    @Test func twoContributorsAreUnsafeByFrequency() throws {
        // 2 < 3 contributors: unsafe, level 10% of (30 + 25) = 5.5.
        #expect(try sensitivity([30, 25], rules: frequencyOnly) == CellSensitivity(isPrimary: true, level: 5.5))
    }

    @Test func threeContributorsAreSafeByFrequency() throws {
        // 3 contributors is the minimum: safe however the value is split.
        #expect(try sensitivity([1_000, 1, 1], rules: frequencyOnly) == .safe)
    }

    // MARK: p% rule

    @Test func pPercentRuleAgainstOneIntruder() throws {
        // P(10,1): level = 10/100·x1 − (x − x1 − x2) = 10 − (108 − 100 − 5) = 10 − 3 = 7.
        let rules = SafetyRules(rules: [.pPercent(p: 10, q: 100, n: 1)])
        #expect(try sensitivity([100, 5, 3], rules: rules) == CellSensitivity(isPrimary: true, level: 7))
        // Order of the contributions does not matter: the rule looks at the largest.
        #expect(try sensitivity([3, 100, 5], rules: rules) == CellSensitivity(isPrimary: true, level: 7))
    }

    @Test func pPercentRuleIsSafeWhenTheRestCoversTheMargin() throws {
        // P(10,1): 10 − (120 − 100 − 10) = 0 is not > 0: safe (exactly on the boundary).
        let rules = SafetyRules(rules: [.pPercent(p: 10, q: 100, n: 1)])
        #expect(try sensitivity([100, 10, 5, 5], rules: rules) == .safe)
        // 10 − (121 − 110) = −1: safe.
        #expect(try sensitivity([100, 10, 6, 5], rules: rules) == .safe)
        // 10 − (119 − 110) = 1: unsafe, level 1 (one unit past the boundary).
        #expect(try sensitivity([100, 10, 5, 4], rules: rules) == CellSensitivity(isPrimary: true, level: 1))
        // The second largest is the intruder whatever the order: 5, 100, 10 leaves 10 − 5 = 5.
        #expect(try sensitivity([5, 100, 10], rules: rules) == CellSensitivity(isPrimary: true, level: 5))
    }

    @Test func pPercentRuleWithTwoColludingIntruders() throws {
        // P(10,100,2): the remainder leaves out the 3 largest: 10 − (110 − 100 − 5 − 3) = 10 − 2 = 8.
        #expect(try sensitivity([100, 5, 3, 2], rules: SafetyRules(rules: [.pPercent(p: 10, q: 100, n: 2)]))
            == CellSensitivity(isPrimary: true, level: 8))
        // The same cell against one intruder: 10 − (110 − 100 − 5) = 10 − 5 = 5.
        #expect(try sensitivity([100, 5, 3, 2], rules: SafetyRules(rules: [.pPercent(p: 10, q: 100, n: 1)]))
            == CellSensitivity(isPrimary: true, level: 5))
        // n = 2 with a larger rest: 10 − (121 − 100 − 5 − 4) = 10 − 12 < 0: safe.
        #expect(try sensitivity([100, 5, 4, 4, 4, 4], rules: SafetyRules(rules: [.pPercent(p: 10, q: 100, n: 2)])) == .safe)
    }

    @Test func pPercentRuleWithAPriorKnowledgeQ() throws {
        // P(20,50,1): level = 20/50·x1 − (x − x1 − x2) = 0.4·100 − (135 − 100 − 30) = 40 − 5 = 35.
        #expect(try sensitivity([100, 30, 5], rules: SafetyRules(rules: [.pPercent(p: 20, q: 50, n: 1)]))
            == CellSensitivity(isPrimary: true, level: 35))
    }

    // MARK: dominance

    @Test func dominanceOfTheLargestContributor() throws {
        let rules = SafetyRules(rules: [.dominance(n: 1, k: 85)])
        // NK(1,85): 170 of 190 is 89% > 85%: level = 100/85·170 − 190 = 200 − 190 = 10.
        #expect(try sensitivity([170, 15, 5], rules: rules) == CellSensitivity(isPrimary: true, level: 10))
        // 85 of 100 is exactly 85%, not more: safe.
        #expect(try sensitivity([85, 10, 5], rules: rules) == .safe)
    }

    @Test func dominanceOfTheTwoLargestContributors() throws {
        // NK(2,85): 85 + 17 = 102 of 115 is 88.7% > 85%: level = 100/85·102 − 115 = 120 − 115 = 5.
        #expect(try sensitivity([85, 17, 10, 3], rules: SafetyRules(rules: [.dominance(n: 2, k: 85)]))
            == CellSensitivity(isPrimary: true, level: 5))
        // The largest alone holds 85/115 = 73.9%: NK(1,85) leaves the same cell safe.
        #expect(try sensitivity([85, 17, 10, 3], rules: SafetyRules(rules: [.dominance(n: 1, k: 85)])) == .safe)
        // 102 of 120 is exactly 85%: safe.
        #expect(try sensitivity([85, 17, 10, 8], rules: SafetyRules(rules: [.dominance(n: 2, k: 85)])) == .safe)
    }

    @Test func dominanceLevelThatIsNotAWholeNumber() throws {
        // NK(1,85): 90 of 100 > 85%: level = 9000/85 − 100 = 5.88235…
        let found = try sensitivity([90, 6, 4], rules: SafetyRules(rules: [.dominance(n: 1, k: 85)]))
        #expect(found.isPrimary)
        #expect(abs(found.level - (9_000.0 / 85.0 - 100)) < 1e-9)
    }

    // MARK: combinations

    @Test func severalMagnitudeRulesTakeTheLargestLevel() throws {
        // P(10,1): 17 − (190 − 170 − 15) = 12; NK(1,85): 200 − 190 = 10. The larger wins: 12.
        let rules = SafetyRules(rules: [.pPercent(p: 10, q: 100, n: 1), .dominance(n: 1, k: 85)])
        #expect(try sensitivity([170, 15, 5], rules: rules) == CellSensitivity(isPrimary: true, level: 12))
        let reversed = SafetyRules(rules: [.dominance(n: 1, k: 85), .pPercent(p: 10, q: 100, n: 1)])
        #expect(try sensitivity([170, 15, 5], rules: reversed) == CellSensitivity(isPrimary: true, level: 12))
    }

    @Test func aCellUnsafeByPPercentAndFrequencyGetsThePPercentLevel() throws {
        // Two contributors 100 and 5: P(10,1) gives 10 − (105 − 105) = 10; FREQ(3,10) alone would
        // give 10.5. tau-Argus uses the magnitude rule's level.
        #expect(try sensitivity([100, 5], rules: .standard) == CellSensitivity(isPrimary: true, level: 10))
        // Whatever order the rules are written in.
        let reversed = SafetyRules(rules: [.frequency(minimum: 3, range: 10), .pPercent(p: 10, q: 100, n: 1)])
        #expect(try sensitivity([100, 5], rules: reversed) == CellSensitivity(isPrimary: true, level: 10))
    }

    @Test func aCellUnsafeByDominanceAndFrequencyGetsTheDominanceLevel() throws {
        // Two contributors 90 and 10: NK(1,85) gives 9000/85 − 100 = 5.88…, not FREQ's 10.
        let rules = SafetyRules(rules: [.dominance(n: 1, k: 85), .frequency(minimum: 3, range: 10)])
        let found = try sensitivity([90, 10], rules: rules)
        #expect(found.isPrimary)
        #expect(abs(found.level - (9_000.0 / 85.0 - 100)) < 1e-9)
        // 50 and 50: NK(1,85) is satisfied (50%), so only FREQ makes it unsafe: 10% of 100 = 10.
        #expect(try sensitivity([50, 50], rules: rules) == CellSensitivity(isPrimary: true, level: 10))
    }

    @Test func theStandardRulesOnAThreeContributorCell() throws {
        // FREQ is satisfied; P(10,1): 10 − (108 − 105) = 7, as with the p% rule alone.
        #expect(try sensitivity([100, 5, 3], rules: .standard) == CellSensitivity(isPrimary: true, level: 7))
        // Safe by both.
        #expect(try sensitivity([40, 30, 30], rules: .standard) == .safe)
    }

    // MARK: empty and zero cells, minimum level

    @Test func emptyCellsAreNeverPrimary() throws {
        // A×X and B×Y have contributors; A×Y and B×X have none: known zeros, never primary, even
        // though 0 contributors is fewer than FREQ's 3.
        let contributions = [
            Contribution(coordinates: ["A", "X"], value: 7),
            Contribution(coordinates: ["B", "Y"], value: 9),
        ]
        let table = try MagnitudeTable.build(dimensionNames: ["行业", "地区"], contributions: contributions, largestKept: 2)
        let found = CellSensitivity.assess(table, rules: .standard)
        for labels in [["A", "Y"], ["B", "X"]] {
            let cell = try #require(table.cell(labels: labels))
            #expect(table.contributors[cell] == 0)
            #expect(found[cell] == .safe, "\(labels)")
        }
        // The others (one contributor each, totals with two) are primary.
        for labels in [["A", "X"], ["B", "Y"], ["Total", "Total"], ["A", "Total"], ["Total", "Y"]] {
            let cell = try #require(table.cell(labels: labels))
            #expect(found[cell].isPrimary, "\(labels)")
        }
    }

    @Test func aZeroCellWithTwoContributorsIsPrimaryWithOneUnit() throws {
        // Two units reporting 0: P(10,1) gives 0 − 0 = 0 (not > 0), FREQ gives 10% of 0 = 0; the
        // level is raised to one unit of the last decimal.
        #expect(try sensitivity([0, 0], rules: .standard) == CellSensitivity(isPrimary: true, level: 1))
        #expect(try sensitivity([0, 0], scale: 2, rules: .standard) == CellSensitivity(isPrimary: true, level: 1))
        // Three zero contributors are safe.
        #expect(try sensitivity([0, 0, 0], rules: .standard) == .safe)
    }

    @Test func levelsAreAtLeastOneUnitOfTheLastDecimal() throws {
        // 0.03 + 0.02 = 5 units of 0.01: FREQ's 10% is 0.5 units, raised to 1.
        #expect(try sensitivity([3, 2], scale: 2, rules: frequencyOnly) == CellSensitivity(isPrimary: true, level: 1))
        // One contributor of 0.05: P(10,1) gives 0.5 units, raised to 1.
        #expect(try sensitivity([5], scale: 2, rules: .standard) == CellSensitivity(isPrimary: true, level: 1))
        // 1.20 + 0.30 = 150 units: FREQ's 10% is 15 units (0.15), above the minimum.
        #expect(try sensitivity([120, 30], scale: 2, rules: frequencyOnly) == CellSensitivity(isPrimary: true, level: 15))
    }

    @Test func marginalCellsAreJudgedToo() throws {
        // A = 100 (one contributor), B = 3 + 3 + 3: A is primary; the total has 4 contributors,
        // 10 − (109 − 100 − 3) = 4 > 0 under P(10,1): primary with level 4; B is safe.
        let contributions = [Contribution(coordinates: ["A"], value: 100)]
            + (0..<3).map { _ in Contribution(coordinates: ["B"], value: 3) }
        let table = try MagnitudeTable.build(dimensionNames: ["行业"], contributions: contributions, largestKept: 2)
        let found = CellSensitivity.assess(table, rules: .standard)
        #expect(found[try #require(table.cell(labels: ["A"]))] == CellSensitivity(isPrimary: true, level: 10))
        #expect(found[try #require(table.cell(labels: ["B"]))] == .safe)
        #expect(found[try #require(table.cell(labels: ["Total"]))] == CellSensitivity(isPrimary: true, level: 4))
    }
}

import DRSNation
import Testing

/// The generator reaches national scale: a registry of 100,000 units and figures for any of them.
/// (How fast is a benchmark, not a test: docs/benchmarks.md (k).)
@Suite struct NationScaleTests {
    @Test func aHundredThousandUnitsHaveDistinctCreditCodesAndFigures() throws {
        let nation = try Shipped.nation(100_000)
        #expect(nation.units.count == 100_000)
        #expect(Set(nation.units.map(\.creditCode)).count == 100_000)
        for index in stride(from: 0, to: 100_000, by: 9_973) {
            #expect(!nation.submissions(forUnit: index).isEmpty, "unit \(index)")
        }
    }
}

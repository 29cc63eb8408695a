import DRSNation
import Testing

@Suite struct NationSpeedTests {
    /// One unit's figures (both years, every form, checked against every rule) take about a
    /// millisecond in a release build; the bound here is loose for debug builds on a busy machine.
    @Test func figuresOfAUnitAreQuick() throws {
        let nation = try Shipped.nation(5_000, seed: 3)
        let clock = ContinuousClock()
        var count = 0
        let elapsed = clock.measure {
            for index in stride(from: 0, to: 5_000, by: 5) { count += nation.submissions(forUnit: index).count }
        }
        let perUnit = Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15
        print("nation: \(perUnit / 1_000) ms per unit (\(count) submissions for 1,000 units)")
        #expect(perUnit / 1_000 < 50)
    }

    @Test func theRegistryOfAHundredThousandUnitsIsCheap() throws {
        let clock = ContinuousClock()
        var nation: NationGenerator?
        let elapsed = clock.measure { nation = try? Shipped.nation(100_000) }
        #expect(nation?.units.count == 100_000)
        #expect(elapsed < .seconds(30))
    }
}

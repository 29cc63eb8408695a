import DRSDisclosure
import Testing

@Suite struct SafetyRulesTests {
    @Test func readsTauArgusRuleStrings() throws {
        let rules = try SafetyRules.parse("P(10,1)|FREQ(3,10)")
        #expect(rules == .standard)
        #expect(rules.description == "P(10,1)|FREQ(3,10)")
        #expect(try SafetyRules.parse(" NK(1, 85) | NK(2,85) ").rules == [.dominance(n: 1, k: 85), .dominance(n: 2, k: 85)])
        #expect(try SafetyRules.parse("P(15,90,2)").rules == [.pPercent(p: 15, q: 90, n: 2)])
    }

    @Test(arguments: ["", "P(10)", "X(1,2)", "P(10,1)|", "NK(0,85)", "FREQ(3,-1)", "P(1.5,1)", "P(10,1", "FREQ(3,10)x"])
    func refusesWhatItCannotRead(_ text: String) {
        #expect(throws: SafetyRuleError.self) { try SafetyRules.parse(text) }
    }
}

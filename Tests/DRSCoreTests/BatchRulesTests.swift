import DRSCore
import Testing

@Suite("Batch checks")
struct BatchRulesTests {
    @Test func countsFailuresExactly() throws {
        var batch = ColumnBatch(count: 10_000)
        var a: [Int64] = [], b: [Int64] = [], c: [Int64] = []
        var expectedGE = 0, expectedEQ = 0, expectedLT = 0
        var random = SampleSubmissions.Generator(seed: 7)
        for _ in 0..<10_000 {
            let x = Int64(random.next() % 1_000), y = Int64(random.next() % 1_000), z = Int64(random.next() % 1_000)
            a.append(x); b.append(y); c.append(z)
            if x < y + z { expectedGE += 1 }
            if x != y + z { expectedEQ += 1 }
            if !(y < 100) { expectedLT += 1 }
        }
        batch.addColumn("a", millionths: a)
        batch.addColumn("b", millionths: b)
        batch.addColumn("c", millionths: c)
        let rules = try BatchRules(["[a] >= [b] + [c]", "[a] = [b] + [c]", "[b] < 0.0001", "abs([a] - [b]) >= 0"], columns: batch.names)
        let counts = rules.countFailures(in: batch, records: 0..<10_000)
        #expect(counts == [expectedGE, expectedEQ, expectedLT, 0])
        // Split ranges add up to the whole.
        let halves = zip(rules.countFailures(in: batch, records: 0..<3_333), rules.countFailures(in: batch, records: 3_333..<10_000)).map(+)
        #expect(halves == counts)
        #expect(rules.failures(in: batch, records: 0..<10_000).filter { $0.rule == 0 }.count == expectedGE)
    }

    @Test func emptyCellsAndHugeValuesStayExact() throws {
        var batch = ColumnBatch(count: 3)
        let big = Int64.max / 2
        batch.addColumn("a", millionths: [big, 0, 5], filled: [true, false, true])
        batch.addColumn("b", millionths: [big, 0, 5], filled: [true, false, true])
        batch.addColumn("c", millionths: [big, 0, 0], filled: [true, false, false])
        let rules = try BatchRules(["[a] >= [b] + [c]"], columns: batch.names)
        // Record 0: big ≥ 2·big fails (no overflow); record 1: all empty → skipped; record 2: 5 ≥ 5 + 0 holds.
        #expect(rules.countFailures(in: batch, records: 0..<3) == [1])
    }
}

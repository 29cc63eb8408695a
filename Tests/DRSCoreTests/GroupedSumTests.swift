import DRSCore
import Testing

@Suite("Grouped sums")
struct GroupedSumTests {
    /// The obvious loop, in 128 bits: what every path of the kernel must equal.
    static func naive(_ columns: [[Int64]], _ filled: [[Bool]?], _ groups: [Int32], _ groupCount: Int) -> GroupedSums {
        var sums = [Int128](repeating: 0, count: columns.count * groupCount)
        var counts = [Int](repeating: 0, count: columns.count * groupCount)
        for (c, column) in columns.enumerated() {
            for (i, v) in column.enumerated() where filled[c]?[i] ?? true {
                sums[c * groupCount + Int(groups[i])] += Int128(v)
                counts[c * groupCount + Int(groups[i])] += 1
            }
        }
        return GroupedSums(groupCount: groupCount, columnCount: columns.count, sums: sums, counts: counts)
    }

    static func batch(_ columns: [[Int64]], _ filled: [[Bool]?]) -> ColumnBatch {
        var batch = ColumnBatch(count: columns.first?.count ?? 0)
        for (c, column) in columns.enumerated() { batch.addColumn("c\(c)", millionths: column, filled: filled[c]) }
        return batch
    }

    @Test func handComputedSums() {
        // Records:   0  1  2  3  4  5
        // group:     0  2  0  1  2  2
        // column a:  1  2  3  4  5  6   → group 0: 1+3 = 4, group 1: 4, group 2: 2+5+6 = 13
        // column b: -1  0 10  ·  ·  7   (· empty) → group 0: 9 (2 cells), group 1: 0 (no cell), group 2: 7 (2 cells)
        let groups: [Int32] = [0, 2, 0, 1, 2, 2]
        let batch = Self.batch([[1, 2, 3, 4, 5, 6], [-1, 0, 10, 99, 99, 7]], [nil, [true, true, true, false, false, true]])
        let result = GroupedSum.compute(batch, groups: groups, groupCount: 3)
        #expect((0..<3).map { result.sum(column: 0, group: $0) } == [4, 4, 13])
        #expect((0..<3).map { result.count(column: 0, group: $0) } == [2, 1, 3])
        #expect((0..<3).map { result.sum(column: 1, group: $0) } == [9, 0, 7])
        #expect((0..<3).map { result.count(column: 1, group: $0) } == [2, 0, 2])
    }

    @Test func everyPassWidthEqualsTheNaiveSum() {
        // 13 columns (a pass of 8, then 4 + 1) and 23 (8 + 8 + 4 + 3 single), odd record counts.
        var random = SampleSubmissions.Generator(seed: 3)
        for (columnCount, n) in [(13, 10_007), (23, 4_099), (3, 17), (1, 0)] {
            let groups = (0..<n).map { _ in Int32(random.next() % 37) }
            let columns = (0..<columnCount).map { _ in (0..<n).map { _ in Int64(random.next() % 20_000_001) - 10_000_000 } }
            let filled = [[Bool]?](repeating: nil, count: columnCount)
            let expected = Self.naive(columns, filled, groups, 37)
            #expect(GroupedSum.compute(Self.batch(columns, filled), groups: groups, groupCount: 37) == expected)
            #expect(GroupedSum.compute(columns: columns, groups: groups, groupCount: 37) == expected)
        }
    }

    @Test func emptyCellsAreLeftOutOfSumsAndCounts() {
        var random = SampleSubmissions.Generator(seed: 5)
        let n = 9_001
        let groups = (0..<n).map { _ in Int32(random.next() % 11) }
        let columns = (0..<6).map { _ in (0..<n).map { _ in Int64(random.next() % 1_000_000) } }
        // Empty cells still hold a value in the array: it must not be added.
        let filled: [[Bool]?] = [nil, (0..<n).map { _ in random.next() % 3 != 0 }, nil,
                                 (0..<n).map { $0 % 2 == 0 }, (0..<n).map { _ in false }, nil]
        let result = GroupedSum.compute(Self.batch(columns, filled), groups: groups, groupCount: 11)
        #expect(result == Self.naive(columns, filled, groups, 11))
        #expect((0..<11).allSatisfy { result.count(column: 4, group: $0) == 0 && result.sum(column: 4, group: $0) == 0 })
    }

    @Test func largeMagnitudesTake128BitPathsAndStayExact() {
        var random = SampleSubmissions.Generator(seed: 9)
        let n = 20_000
        let groups = (0..<n).map { _ in Int32(random.next() % 2) }
        // Column 0: |v| ≤ Int64.max / 4,500 → 64-bit runs of 4,500 records carried into 128 bits.
        // Column 1: |v| near Int64.max / 3 → runs too short: 128-bit additions throughout.
        // Column 2: contains Int64.min, whose magnitude does not fit in Int64.
        // Column 3: like column 1 with empty cells.
        let big0 = Int64.max / 4_500, big1 = Int64.max / 3
        let columns: [[Int64]] = [
            (0..<n).map { _ in big0 - Int64(random.next() % 1000) },
            (0..<n).map { i in (i % 5 == 0 ? -1 : 1) * (big1 - Int64(random.next() % 1000)) },
            (0..<n).map { i in i == 7 ? Int64.min : Int64(random.next() % 100) },
            (0..<n).map { _ in big1 - Int64(random.next() % 1000) },
        ]
        let filled: [[Bool]?] = [nil, nil, nil, (0..<n).map { _ in random.next() % 2 == 0 }]
        let expected = Self.naive(columns, filled, groups, 2)
        let result = GroupedSum.compute(Self.batch(columns, filled), groups: groups, groupCount: 2)
        #expect(result == expected)
        // The totals really are beyond 64 bits: a wrapping 64-bit sum would have been wrong.
        #expect(expected.sums[0] > Int128(Int64.max))
        var wrapped: Int64 = 0
        for (i, v) in columns[0].enumerated() where groups[i] == 0 { wrapped &+= v }
        #expect(Int128(wrapped) != expected.sum(column: 0, group: 0))
        // Without the batch's bounds the kernel finds them itself.
        #expect(GroupedSum.compute(columns: columns, presence: Self.batch(columns, filled).presence, groups: groups, groupCount: 2) == expected)
    }

    @Test func concurrentSumsEqualSequential() async {
        let input = SyntheticAggregateInput(records: 30_000, columns: 21, seed: 1)
        let sequential = GroupedSum.compute(input.batch, groups: input.groups, groupCount: input.groupCount)
        for tasks in [1, 2, 3, 40] {
            #expect(await GroupedSum.computeConcurrently(input.batch, groups: input.groups, groupCount: input.groupCount, tasks: tasks) == sequential)
        }
        #expect(sequential == Self.naive(input.batch.columns, Array(repeating: nil, count: 21), input.groups, 320))
    }

    @Test func syntheticInputHasThePeersShapeAndIsDeterministic() {
        let a = SyntheticAggregateInput(records: 5_000, columns: 4, seed: 7)
        let b = SyntheticAggregateInput(records: 5_000, columns: 4, seed: 7)
        let c = SyntheticAggregateInput(records: 5_000, columns: 4, seed: 8)
        #expect(a.groups == b.groups && a.batch.columns == b.batch.columns)
        #expect(a.batch.columns != c.batch.columns)
        #expect(a.groupCount == 320 && a.records == 5_000 && a.cellAdditions == 20_000)
        #expect(a.province.allSatisfy { (0..<32).contains($0) } && a.respondentType.allSatisfy { (0..<10).contains($0) })
        #expect(zip(a.groups, zip(a.province, a.respondentType)).allSatisfy { $0 == $1.0 * 10 + $1.1 })
        #expect(a.batch.columns.allSatisfy { $0.allSatisfy { (0..<10_000_000).contains($0) } })
        #expect(Set(a.groups).count == 320)
        #expect(a.batch.names == ["c000", "c001", "c002", "c003"])
    }

    @Test func aGroupOutOfRangeStops() async {
        await #expect(processExitsWith: .failure) {
            _ = GroupedSum.compute(columns: [[1, 2]], groups: [0, 5], groupCount: 3)
        }
    }
}

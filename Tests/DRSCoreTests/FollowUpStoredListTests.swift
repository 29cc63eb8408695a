import DRSCore
import Testing

/// A stored list (its order as lines, its basis as text) makes, page by page, exactly the items the
/// computation made.
extension FollowUpTests {
    /// 90 units of three types over the tiny form's cells, this year and last, with planted outliers,
    /// big year-over-year changes, a weighted share and blanks (a fixed generator: the same every run).
    func population() -> [FollowUpUnit] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        return (0..<90).map { i in
            var now: [String: String] = [:], last: [String: String] = [:]
            for code in ["01", "02", "03", "04"] {
                for column in ["cum", "cur", "prev"] where next(10) > 0 {
                    let base = 10 + next(40)
                    now["\(code):\(column)"] = next(25) == 0 ? "\(base * 50).5" : "\(base)"
                    if next(4) > 0 { last["\(code):\(column)"] = "\(next(6) == 0 ? base / 3 + 10 : base)" }
                }
            }
            now["05:cur"] = "\(next(100))"
            return unit("U\(i < 10 ? "0" : "")\(i)", ["a", "b", "c"][i % 3], now, last: next(5) == 0 ? nil : last)
        }
    }

    @Test func aStoredListMakesTheSameItemsPageByPage() throws {
        let units = population()
        let computed = try lists(units)
        #expect(computed.outliers.count > 10 && computed.yearOverYear.count > 10, "the population plants both kinds")
        let basis = try #require(FollowUpBasis(text: computed.basis.text, slots: form.layout.count))
        #expect(basis == computed.basis)
        let byID = Dictionary(uniqueKeysWithValues: units.map { ($0.unitID, $0) })
        let aggregator = try Aggregator(form: form)
        for list in [computed.yearOverYear, computed.outliers] {
            for size in [1, 7, 50, list.count] {
                for start in stride(from: 0, to: list.count, by: size) {
                    let range = start..<min(list.count, start + size)
                    let entries = try #require(FollowUpEntry.parse(list.storedLines(range), slots: form.layout.count))
                    let page = FollowUpItems.stored(list.reason, entries: entries, units: byID, aggregator: aggregator, basis: basis)
                    #expect(Array(page) == Array(list[range]), "\(list.reason) \(range)")
                }
            }
        }
    }

    @Test func listsWorkedOutInRunsAreTheListsOfOnePass() throws {
        let units = population()
        let whole = try lists(units)
        let aggregator = try Aggregator(form: form)
        let national = try #require(try aggregator.aggregate(units.map { AggregateRecord(dimensions: [:], values: $0.values) },
                                                             groupings: [[]]).national)
        func entries(_ items: FollowUpItems) -> [FollowUpEntry]? {
            FollowUpEntry.parse(items.storedLines(items.indices), slots: form.layout.count)
        }
        for length in [1, 7, 40] {
            let runs = stride(from: 0, to: units.count, by: length).map { Array(units[$0..<min(units.count, $0 + length)]) }
            var spreads = FollowUpSpreads(form: form)
            for run in runs { spreads.add(run) }
            let basis = try spreads.basis(national: national)
            #expect(basis == whole.basis, "runs of \(length)")
            var ordering = try FollowUpOrdering(aggregator: aggregator, basis: basis)
            for run in runs { ordering.add(run) }
            let order = ordering.finish()
            #expect(order.yearOverYear == entries(whole.yearOverYear), "runs of \(length)")
            #expect(order.outliers == entries(whole.outliers), "runs of \(length)")
        }
    }

    @Test func aFigureBeyond64BitsIsJudgedAmongTheOthers() throws {
        // As in findsAPlantedOutlierWithItsRobustZ, with the planted figure past what 64-bit millionths hold.
        let units = ["10", "11", "12", "13", "14", "3000000000000"].enumerated().map { unit("A\($0)", "a", ["01:cur": $1]) }
        let item = try #require(try lists(units).outliers.first)
        #expect(item.unitID == "A5" && item.typeMedian == ExactDecimal(units: 125, scale: 1) && item.typeUnits == 6)
        #expect(abs(item.z! - 0.6745 * (3e12 - 12.5) / 1.5) < 1e-3)
    }

    @Test func figuresOfAnotherShapeAreRefusedNotTrappedOn() throws {
        let slots = form.layout.count
        let short = FollowUpUnit(unitID: "S", respondentType: "a", values: CellValues(count: slots - 1))
        #expect(throws: AggregationError.wrongShape(form: "T1", record: 1, expected: slots, found: slots - 1)) {
            try lists([unit("A", "a", ["01:cur": "1"]), short])
        }
        let lastShort = FollowUpUnit(unitID: "L", respondentType: "a", values: CellValues(count: slots), lastYear: CellValues(count: 3))
        #expect(throws: AggregationError.wrongShape(form: "T1", record: 0, expected: slots, found: 3)) { try lists([lastShort]) }
        // A basis of another form.
        let aggregator = try Aggregator(form: form)
        let basis = try lists(population()).basis
        let wider = try #require(FollowUpBasis(text: basis.text.replacingSlots(slots, with: slots + 1), slots: slots + 1))
        #expect(throws: AggregationError.wrongShape(form: "T1", record: 0, expected: slots, found: slots + 1)) {
            try FollowUpOrdering(aggregator: aggregator, basis: wider)
        }
    }

    @Test func anEntryWhoseUnitIsGoneIsLeftOut() throws {
        let units = population()
        let computed = try lists(units)
        let entries = try #require(FollowUpEntry.parse(computed.outliers.storedLines(0..<5), slots: form.layout.count))
        var byID = Dictionary(uniqueKeysWithValues: units.map { ($0.unitID, $0) })
        byID[entries[1].unitID] = nil
        let page = FollowUpItems.stored(.outlier, entries: entries, units: byID, aggregator: try Aggregator(form: form), basis: computed.basis)
        #expect(Array(page) == Array(computed.outliers[0..<5]).filter { $0.unitID != entries[1].unitID })
    }

    @Test func aDamagedStoredListIsNotRead() throws {
        let text = try lists(population()).basis.text
        let slots = form.layout.count
        #expect(FollowUpBasis(text: text, slots: slots + 1) == nil, "another form's")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(FollowUpBasis(text: (["drs-follow-up-basis 2"] + lines.dropFirst()).joined(separator: "\n"), slots: slots) == nil)
        let spread = try #require(lines.firstIndex { $0.hasPrefix("s\t") })
        let national = try #require(lines.firstIndex { $0.hasPrefix("n\t") })
        func damaged(_ index: Int, _ field: Int, _ value: String) -> String {
            var copy = lines
            var fields = copy[index].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            fields[field] = value
            copy[index] = fields.joined(separator: "\t")
            return copy.joined(separator: "\n")
        }
        for bad in [damaged(spread, 2, "\(slots)"), damaged(spread, 3, "0"), damaged(spread, 4, "\(Int128.max)"),
                    damaged(spread, 5, "-1"), damaged(spread, 6, "x"), damaged(national, 1, "-1"), damaged(national, 2, "1:99"), damaged(national, 2, "1:2"), damaged(national, 4, "-3"),
                    damaged(national, 3, "1"), text + "\nq\t1"] {
            #expect(FollowUpBasis(text: bad, slots: slots) == nil)
        }
        #expect(FollowUpEntry.parse("U1\t0\nU2\t\(slots)\n", slots: slots) == nil)
        #expect(FollowUpEntry.parse("U1\t0\nU2\n", slots: slots) == nil)
        #expect(FollowUpEntry.parse("U1\t0\nU2\t1\n", slots: slots) == [FollowUpEntry(unitID: "U1", slot: 0), FollowUpEntry(unitID: "U2", slot: 1)])
    }
}

private extension String {
    /// The basis text as written for a form of `new` cells (its `slots` line only).
    func replacingSlots(_ old: Int, with new: Int) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).map { $0 == "slots\t\(old)" ? "slots\t\(new)" : String($0) }
            .joined(separator: "\n")
    }
}

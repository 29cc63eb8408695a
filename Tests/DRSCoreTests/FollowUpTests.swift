import DRSCore
import Testing

/// A decimal from text, exactly as a filer would type it.
private func dec(_ text: String) -> ExactDecimal { try! NumberInput.parse(text)! }

@Suite("Follow-up lists")
struct FollowUpTests {
    let catalog = try! TinyCatalog.catalog()
    var form: CompiledForm { catalog.form("T1")! }

    func unit(_ id: String, _ type: String, _ cells: [String: String], last: [String: String]? = nil) -> FollowUpUnit {
        FollowUpUnit(unitID: id, respondentType: type, values: TinyCatalog.values(form, cells),
                     lastYear: last.map { TinyCatalog.values(form, $0) })
    }

    func lists(_ units: [FollowUpUnit], yearOverYear: YearOverYearPolicy? = nil, outliers: OutlierPolicy = .standard) throws -> FollowUpLists {
        let aggregator = try Aggregator(form: form)
        let table = try aggregator.aggregate(units.map { AggregateRecord(dimensions: ["type": $0.respondentType], values: $0.values) },
                                             groupings: [[]])
        return try FollowUpLists(aggregator: aggregator, units: units, national: try #require(table.national),
                             yearOverYear: yearOverYear, outliers: outliers)
    }

    @Test func findsAPlantedOutlierWithItsRobustZ() throws {
        // Type a: 10, 11, 12, 13, 14 and a planted 100. Median 12.5; deviations 2.5 1.5 0.5 0.5 1.5 87.5 → MAD 1.5;
        // z(100) = 0.6745 · 87.5 / 1.5 = 39.3458…; z(10) = −1.12 is not an outlier.
        // Type b has the same spread of figures but only 4 units: too few to judge.
        var units = [10, 11, 12, 13, 14, 100].enumerated().map { unit("A\($0)", "a", ["01:cur": "\($1)"]) }
        units += [1, 2, 3, 1000].enumerated().map { unit("B\($0)", "b", ["01:cur": "\($1)"]) }
        let result = try lists(units)
        #expect(result.outliers.count == 1)
        let item = try #require(result.outliers.first)
        #expect(item.reason == .outlier && item.unitID == "A5" && item.respondentType == "a" && item.form == "T1")
        #expect(item.cell == CellKey(code: "01", column: "cur") && item.indicatorName == "数据生产总量" && item.measureUnit == "TB")
        #expect(item.value == 100 && item.lastValue == nil && item.changePercent == nil)
        #expect(abs(item.z! - 0.6745 * 87.5 / 1.5) < 1e-9)
        #expect(item.typeMedian == dec("12.5") && item.typeUnits == 6)
        // Weight in the national total: 100 / (10+11+12+13+14+100+1+2+3+1000) = 100 / 1166.
        #expect(item.nationalTotal == 1166)
        #expect(abs(item.weight! - 100.0 / 1166.0) < 1e-12)
        #expect(item.note == "在同类单位（6家）中明显偏离：稳健z值39.35，同类中位数12.5TB")
        #expect(result.yearOverYear.isEmpty)
    }

    @Test func theLimitIsDecidedExactly() throws {
        // Median 100, MAD 1.349: z(107) = 0.6745 · 7 / 1.349 = 3.5 exactly — not beyond 3.5; 107.000001 is.
        let figures = ["98.651", "100", "100", "101.349"]
        let at = try lists(figures.enumerated().map { unit("U\($0)", "a", ["01:cur": $1]) } + [unit("X", "a", ["01:cur": "107"])])
        #expect(at.outliers.isEmpty)
        let beyond = try lists(figures.enumerated().map { unit("U\($0)", "a", ["01:cur": $1]) } + [unit("X", "a", ["01:cur": "107.000001"])])
        #expect(beyond.outliers.map(\.unitID) == ["X"])
        // A stricter policy flags more.
        let strict = try lists(figures.enumerated().map { unit("U\($0)", "a", ["01:cur": $1]) } + [unit("X", "a", ["01:cur": "107"])],
                               outliers: OutlierPolicy(threshold: 3))
        #expect(strict.outliers.map(\.unitID) == ["X"])
    }

    @Test func whenMADIsZeroTheMeanDeviationStandsIn() throws {
        // 5 5 5 5 5 6: MAD = 0; MeanAD = 1/6; z(6) = 1 / (1.253314 / 6) = 4.787… > 3.5.
        let spread = try lists(["5", "5", "5", "5", "5", "6"].enumerated().map { unit("U\($0)", "a", ["04:cur": $1]) })
        #expect(spread.outliers.map(\.unitID) == ["U5"])
        #expect(abs(spread.outliers[0].z! - 6 / 1.253314) < 1e-9)
        // Every unit the same: no spread at all, nothing to flag.
        #expect(try lists((0..<6).map { unit("U\($0)", "a", ["04:cur": "5"]) }).outliers.isEmpty)
    }

    @Test func listsAreSortedByWeightInTheNationalTotal() throws {
        // Type a (7 units): A5 reports 100 TB where the others report 10 (national 160: weight 0.625);
        // A0 reports 50 datasets where the others report 4 (national 74: weight 0.676).
        // Type b (12 units): Y and Z both report 30 where the others report 1 — equal weights, by unit id.
        var units: [FollowUpUnit] = (0..<7).map { i in
            unit("A\(i)", "a", ["01:cur": i == 5 ? "100" : "10", "04:cur": i == 0 ? "50" : "4", "02:cur": "1"])
        }
        units += (0..<10).map { unit("B\($0)", "b", ["02:cur": "1"]) }
        units += [unit("Z", "b", ["02:cur": "30"]), unit("Y", "b", ["02:cur": "30"])]
        let result = try lists(units)
        #expect(result.outliers.map { "\($0.unitID) \($0.cell)" } == ["A0 04:cur", "A5 01:cur", "Y 02:cur", "Z 02:cur"])
        let weights = result.outliers.map { $0.weight! }
        #expect(abs(weights[0] - 50.0 / 74.0) < 1e-12 && abs(weights[1] - 100.0 / 160.0) < 1e-12)
        #expect(abs(weights[2] - 30.0 / 77.0) < 1e-12 && weights[2] == weights[3])
        // Both fall back to the mean absolute deviation (MAD = 0): z = 90 / (1.253314 · 90/7).
        #expect(abs(result.outliers[1].z! - 7 / 1.253314) < 1e-9)
    }

    @Test func yearOverYearRespectsThresholdAndMinimumBase() throws {
        let units = [
            unit("base5", "a", ["01:cur": "100"], last: ["01:cur": "5"]),            // last 5 < 10: not checked
            unit("base10", "a", ["01:cur": "16"], last: ["01:cur": "10"]),           // +60% on base 10: listed
            unit("exact50", "a", ["01:cur": "150"], last: ["01:cur": "100"]),        // +50% exactly: within
            unit("above50", "a", ["01:cur": "150.000001"], last: ["01:cur": "100"]), // listed
            unit("drop", "a", ["01:cur": "49", "01:cum": "1"], last: ["01:cur": "100", "01:cum": "1000"]), // −51%; 截至本年 is not checked
            unit("noLast", "a", ["01:cur": "1000"]),                                 // nothing to compare
            unit("emptyNow", "a", [:], last: ["01:cur": "100"]),                     // nothing filled this year
        ]
        let result = try lists(units)
        // National 01:cur = 100 + 16 + 150 + 150.000001 + 49 + 1000 = 1465.000001: above50 > drop > base10.
        #expect(result.yearOverYear.map(\.unitID) == ["above50", "drop", "base10"])
        let base10 = try #require(result.yearOverYear.last)
        #expect(base10.changePercent == 60 && base10.ratioToLastYear == dec("1.6") && base10.lastValue == 10)
        #expect(base10.note == "本年实际较上年变化+60%，超过±50%，请核实")
        let drop = result.yearOverYear[1]
        #expect(drop.changePercent == -51 && drop.ratioToLastYear == dec("0.49"))
        #expect(drop.cell == CellKey(code: "01", column: "cur"))
        #expect(result.yearOverYear[0].changePercent == dec("50.0"))   // 50.000001% shown to 0.1
        // A lower minimum base brings base5 in (+1900%); a threshold of 100% then leaves base5 alone.
        let loose = try lists(units, yearOverYear: YearOverYearPolicy(threshold: 50, minimumBase: 1))
        #expect(Set(loose.yearOverYear.map(\.unitID)) == ["base5", "base10", "above50", "drop"])
        let wide = try lists(units, yearOverYear: YearOverYearPolicy(threshold: 100, minimumBase: 1))
        #expect(wide.yearOverYear.map(\.unitID) == ["base5"])
    }

    @Test func weightOfAWeightedShareIsTheUnitsShareOfTheBase() throws {
        // 冷数据占比 is weighted by 01: a unit with 300 of 400 TB carries 0.75 of the national share.
        var units = (0..<5).map { unit("U\($0)", "a", ["05:cur": "10", "01:cur": "20"]) }
        units.append(unit("BIG", "a", ["05:cur": "90", "01:cur": "300"]))
        let result = try lists(units)
        let item = try #require(result.outliers.first { $0.cell == CellKey(code: "05", column: "cur") })
        #expect(item.unitID == "BIG")
        #expect(abs(item.weight! - 300.0 / 400.0) < 1e-12)
        // National 冷数据占比: (5·10·20 + 90·300) / 400 = 70%.
        #expect(item.nationalTotal == 70)
    }
}

import DRSCore
import Foundation
import Testing

/// A decimal from text, exactly as a filer would type it.
private func dec(_ text: String) -> ExactDecimal { try! NumberInput.parse(text)! }

@Suite("Aggregation")
struct AggregationTests {
    let catalog = try! TinyCatalog.catalog()
    var form: CompiledForm { catalog.form("T1")! }

    func record(_ province: String, _ type: String, _ cells: [String: String]) -> AggregateRecord {
        AggregateRecord(dimensions: ["province": province, "type": type], values: TinyCatalog.values(form, cells))
    }

    func total(_ table: AggregateTable, _ key: [String], _ dimensions: [String], _ cell: String) -> AggregateCell? {
        let parts = cell.split(separator: ":")
        guard let group = table.grouping(dimensions)?.group(key) else { return nil }
        return table.cell(CellKey(code: String(parts[0]), column: String(parts[1])), in: group)
    }

    var fourUnits: [AggregateRecord] {
        [
            record("310000", "enterprise", ["01:cur": "10.5", "01:cum": "100", "04:cur": "3"]),
            record("110000", "enterprise", ["01:cur": "20.25", "04:cur": "5"]),
            record("110000", "centralEnterprise", ["01:cur": "0.000001", "01:cum": "7"]),
            record("110000", "enterprise", ["01:cur": "1", "02:cur": "0.5"]),
        ]
    }

    @Test func sumsByGroupAndCountsUnits() throws {
        let aggregator = try Aggregator(form: form)
        let table = try aggregator.aggregate(fourUnits, groupings: [[], ["province"], ["province", "type"]])
        #expect(table.records == 4)
        let national = try #require(table.national)
        #expect(national.key == [] && national.units == 4)
        #expect(total(table, [], [], "01:cur") == AggregateCell(total: dec("31.750001"), units: 4))
        #expect(total(table, [], [], "01:cum") == AggregateCell(total: 107, units: 2))
        #expect(total(table, [], [], "04:cur") == AggregateCell(total: 8, units: 2))
        // No unit filled 03: no total (not 0), no units.
        #expect(total(table, [], [], "03:cur") == AggregateCell(total: nil, units: 0))

        // Groups are sorted by key, whatever order the records came in.
        #expect(table.grouping(["province"])!.groups.map(\.key) == [["110000"], ["310000"]])
        #expect(table.grouping(["province", "type"])!.groups.map(\.key)
                == [["110000", "centralEnterprise"], ["110000", "enterprise"], ["310000", "enterprise"]])
        #expect(total(table, ["110000"], ["province"], "01:cur")?.total == dec("21.250001"))
        #expect(total(table, ["110000"], ["province"], "01:cur")?.units == 3)
        #expect(total(table, ["110000", "enterprise"], ["province", "type"], "01:cur")?.total == dec("21.25"))
        #expect(total(table, ["110000", "enterprise"], ["province", "type"], "01:cur")?.units == 2)
        #expect(total(table, ["310000"], ["province"], "01:cum") == AggregateCell(total: 100, units: 1))
        #expect(table.grouping(["province", "type"])!.group(["110000", "enterprise"])?.units == 2)
        #expect(table.grouping(["province"])!.group(["440000"]) == nil)

        // No records: the national total still exists, with every cell empty.
        let empty = try aggregator.aggregate([], groupings: [[], ["province"]])
        #expect(empty.national?.units == 0 && empty.national?.cell(0) == AggregateCell(total: nil, units: 0))
        #expect(empty.grouping(["province"])?.groups.isEmpty == true)
    }

    @Test func weightedMeanUsesTheBaseNotTheSum() throws {
        // 冷数据占比 10% of 100 TB and 40% of 300 TB: (10·100 + 40·300) / 400 = 32.5%, not 50%.
        // A third unit reports a share but no storage: weight 0, so it cannot move the mean.
        let records = [
            record("110000", "enterprise", ["05:cur": "10", "01:cur": "100"]),
            record("310000", "enterprise", ["05:cur": "40", "01:cur": "300"]),
            record("310000", "enterprise", ["05:cur": "90"]),
        ]
        let table = try Aggregator(form: form).aggregate(records, groupings: [[], ["province"]])
        let share = try #require(total(table, [], [], "05:cur"))
        #expect(share.total == dec("32.5"))
        #expect(share.total != 50 && share.total != 140)
        #expect(share.weightBase == 400)
        #expect(share.units == 3 && share.weightedUnits == 2)
        #expect(table.methods[table.slot(CellKey(code: "05", column: "cur"))!] == .weightedMean)
        // Beijing alone: 10%.
        #expect(total(table, ["110000"], ["province"], "05:cur")?.total == 10)
        // Shanghai: only the unit with storage counts; the 90% of the unit without storage does not.
        #expect(total(table, ["310000"], ["province"], "05:cur")?.total == 40)
    }

    @Test func weightedMeanRoundsHalfAwayFromZeroToTheUnitDecimals() throws {
        let aggregator = try Aggregator(form: form)
        // (0.0001 + 0.0002) / 2 = 0.00015 → 0.0002 (% has 4 decimals).
        let half = try aggregator.aggregate([
            record("1", "t", ["05:cur": "0.0001", "01:cur": "1"]), record("1", "t", ["05:cur": "0.0002", "01:cur": "1"]),
        ], groupings: [[]])
        #expect(total(half, [], [], "05:cur")?.total == dec("0.0002"))
        // (10·1 + 20·2) / 3 = 16.6666… → 16.6667.
        let third = try aggregator.aggregate([
            record("1", "t", ["05:cur": "10", "01:cur": "1"]), record("1", "t", ["05:cur": "20", "01:cur": "2"]),
        ], groupings: [[]])
        #expect(total(third, [], [], "05:cur")?.total == dec("16.6667"))
        // Weights with decimals: (0.00005·0.5 + 0.00006·0.25) / 0.75 = 0.0000533… → 0.0001.
        let small = try aggregator.aggregate([
            record("1", "t", ["05:cur": "0.00005", "01:cur": "0.5"]), record("1", "t", ["05:cur": "0.00006", "01:cur": "0.25"]),
        ], groupings: [[]])
        #expect(total(small, [], [], "05:cur")?.total == dec("0.0001"))
        #expect(total(small, [], [], "05:cur")?.weightBase == dec("0.75"))
    }

    @Test func productWeight() throws {
        // 08 is weighted by [01] * [04]: weights 2·3 = 6 and 0.5·2 = 1 → (50·6 + 80·1) / 7 = 54.285714… → 54.2857.
        let table = try Aggregator(form: form).aggregate([
            record("1", "t", ["08:cur": "50", "01:cur": "2", "04:cur": "3"]),
            record("1", "t", ["08:cur": "80", "01:cur": "0.5", "04:cur": "2"]),
            record("1", "t", ["08:cur": "99", "01:cur": "7"]),   // 04 empty → weight 0
        ], groupings: [[]])
        let cell = try #require(total(table, [], [], "08:cur"))
        #expect(cell.total == dec("54.2857"))
        #expect(cell.weightBase == 7)
        #expect(cell.units == 3 && cell.weightedUnits == 2)
    }

    @Test func noTotalForMethodNoneAndForMeansWithoutBase() throws {
        let table = try Aggregator(form: form).aggregate([
            record("1", "t", ["07:cur": "12", "05:cur": "30"]), record("2", "t", ["07:cur": "20"]),
        ], groupings: [[]])
        // 服务行业数量 cannot be added (coverage overlaps): no total, but the filers are counted.
        #expect(total(table, [], [], "07:cur") == AggregateCell(total: nil, units: 2))
        // A share with no storage anywhere: Σw = 0, no mean.
        #expect(total(table, [], [], "05:cur") == AggregateCell(total: nil, units: 1, weightBase: nil, weightedUnits: 0))
    }

    /// 300 records over 4 provinces and 3 types, with sums, weighted means and cells without totals.
    func randomRecords(_ random: inout SampleSubmissions.Generator) -> [AggregateRecord] {
        var records: [AggregateRecord] = []
        let provinces = ["110000", "310000", "440000", "510000"], types = ["a", "b", "c"]
        for _ in 0..<300 {
            var cells: [String: String] = [:]
            for (code, column) in [("01", "cur"), ("01", "cum"), ("04", "cur"), ("05", "cur"), ("07", "cur"), ("08", "cur")]
            where random.next() % 4 != 0 {
                cells["\(code):\(column)"] = code == "04" || code == "07" ? String(random.next() % 50)
                    : "\(random.next() % 1000).\(random.next() % 1_000_000)"
            }
            if cells["05:cur"] != nil { cells["05:cur"] = "\(random.next() % 100).\(random.next() % 10)" }
            if cells["08:cur"] != nil { cells["08:cur"] = "\(random.next() % 100)" }
            records.append(record(provinces[Int(random.next() % 4)], types[Int(random.next() % 3)], cells))
        }
        return records
    }

    /// A national form is read a run of submissions at a time: the runs, however cut, add up to the
    /// same table as all the records at once.
    @Test func recordsAddedRunByRunGiveTheSameTable() throws {
        var random = SampleSubmissions.Generator(seed: 12)
        let records = randomRecords(&random)
        let groupings = [[], ["type"], ["province", "type"]]
        let aggregator = try Aggregator(form: form)
        let table = try aggregator.aggregate(records, groupings: groupings)
        for runLength in [1, 7, 100, 299] {
            var running = Aggregator.Running(aggregator, groupings: groupings)
            var start = 0
            while start < records.count {
                try running.add(Array(records[start..<min(start + runLength, records.count)]))
                start += runLength
            }
            #expect(try running.finish() == table, "runs of \(runLength)")
        }
        #expect(try Aggregator.Running(aggregator, groupings: groupings).finish() == aggregator.aggregate([], groupings: groupings))
    }

    @Test func sameRecordsInAnyOrderGiveTheSameTable() throws {
        var random = SampleSubmissions.Generator(seed: 11)
        let records = randomRecords(&random)
        let groupings = [[], ["type"], ["province", "type"], ["type", "province"]]
        let aggregator = try Aggregator(form: form)
        let table = try aggregator.aggregate(records, groupings: groupings)
        #expect(try aggregator.aggregate(records.reversed(), groupings: groupings) == table)
        var shuffled = records
        for i in shuffled.indices.reversed() { shuffled.swapAt(i, Int(random.next() % UInt64(i + 1))) }
        #expect(try aggregator.aggregate(shuffled, groupings: groupings) == table)

        // And the national sum equals a naive exact sum of the records.
        let slot = form.layout.slot(code: "01", column: "cur")!
        var naive = ExactDecimal.zero
        for r in records { if let v = r.values[slot] { naive = try naive.adding(v) } }
        #expect(table.national?.cell(slot).total == naive)
        // Each grouping's groups add up to the national total.
        for grouping in table.groupings {
            var sum = ExactDecimal.zero
            for g in grouping.groups { sum = try sum.adding(g.cell(slot).total ?? .zero) }
            #expect(sum == naive)
            #expect(grouping.groups.map(\.units).reduce(0, +) == 300)
        }
    }

    @Test func gridRowsAreTotalledPerMember() throws {
        let grid = catalog.form("G1")!
        let records = [
            AggregateRecord(dimensions: [:], values: TinyCatalog.values(grid, ["01:cur@000000": "30", "01:cur@110000": "10", "01:cur@310000": "20"])),
            AggregateRecord(dimensions: [:], values: TinyCatalog.values(grid, ["01:cur@000000": "5", "01:cur@110000": "5"])),
        ]
        let table = try Aggregator(form: grid).aggregate(records, groupings: [[]])
        let national = try #require(table.national)
        #expect(table.cell(CellKey(code: "01", column: "cur", member: "000000"), in: national) == AggregateCell(total: 35, units: 2))
        #expect(table.cell(CellKey(code: "01", column: "cur", member: "110000"), in: national) == AggregateCell(total: 15, units: 2))
        #expect(table.cell(CellKey(code: "01", column: "cur", member: "310000"), in: national) == AggregateCell(total: 20, units: 1))
    }

    @Test func refusesBasicInformationFormsAndForeignFigures() throws {
        let basic = try JSONDecoder().decode(Form.self, from: Data(#"""
        {"id":"B1","tableNumber":"测试基本情况表","title":"基本情况","group":"测试","kind":"basicInfo","period":"年","scope":"","reporters":"",
         "issuedBy":"","approvedBy":"","approvalNumber":"","validUntil":"","submissionMethod":"","respondentTypes":["t"],"columns":[],
         "notes":[],"source":{"rebuilt":false},"items":[{"code":"101","name":"从业人员","type":"number","unit":"个"}],"rules":[]}
        """#.utf8))
        let compiled = try CompiledForm(form: basic, survey: catalog.catalog.survey, codeLists: [:])
        #expect(throws: AggregationError.basicInformationForm(form: "测试基本情况表")) { try Aggregator(form: compiled) }
        #expect(AggregationError.basicInformationForm(form: "公共1表").description == "公共1表 为基本情况表，不做数值汇总")

        let grid = catalog.form("G1")!
        let foreign = AggregateRecord(dimensions: [:], values: CellValues(count: grid.layout.count))
        #expect(throws: AggregationError.self) { try Aggregator(form: form).aggregate([foreign], groupings: [[]]) }
    }

    @Test func overflowIsReportedNeverWrapped() throws {
        let slot = form.layout.slot(code: "01", column: "cur")!
        var huge = CellValues(count: form.layout.count)
        huge[slot] = ExactDecimal(units: Int128.max / 2 + 1, scale: CellValues.scale)
        let records = [AggregateRecord(dimensions: ["p": "1"], values: huge), AggregateRecord(dimensions: ["p": "2"], values: huge)]
        let aggregator = try Aggregator(form: form)
        // Each province alone fits; their national sum does not.
        #expect(throws: AggregationError.overflow(form: "T1", cell: CellKey(code: "01", column: "cur"), group: [])) {
            try aggregator.aggregate(records, groupings: [["p"], []])
        }
        #expect(throws: AggregationError.overflow(form: "T1", cell: CellKey(code: "01", column: "cur"), group: ["1"])) {
            try aggregator.aggregate(records.map { AggregateRecord(dimensions: ["p": "1"], values: $0.values) }, groupings: [["p"]])
        }
        #expect(try aggregator.aggregate(records, groupings: [["p"]]).grouping(["p"])?.groups.count == 2)

        // The same figures in 服务行业数量 (no total is formed) are no reason to fail.
        var unsummed = CellValues(count: form.layout.count)
        unsummed[form.layout.slot(code: "07", column: "cur")!] = ExactDecimal(units: Int128.max / 2 + 1, scale: CellValues.scale)
        let none = try aggregator.aggregate(Array(repeating: AggregateRecord(dimensions: [:], values: unsummed), count: 3), groupings: [[]])
        #expect(total(none, [], [], "07:cur") == AggregateCell(total: nil, units: 3))

        // A weighted mean whose Σ(w·v) leaves 128 bits is reported too.
        var wide = CellValues(count: form.layout.count)
        wide[slot] = ExactDecimal(units: Int128(1) << 100, scale: CellValues.scale)
        wide[form.layout.slot(code: "05", column: "cur")!] = ExactDecimal(units: Int128(1) << 40, scale: CellValues.scale)
        #expect(throws: AggregationError.overflow(form: "T1", cell: CellKey(code: "05", column: "cur"), group: [])) {
            try aggregator.aggregate([AggregateRecord(dimensions: [:], values: wide)], groupings: [[]])
        }
    }

    @Test func aNationalRunOfManySubmissionsGroupsEveryUnitOnce() throws {
        // 20,000 plausible submissions of T1 by 5 groupings (its speed is `drs bench`'s, not a test's).
        let units = Dictionary(uniqueKeysWithValues: catalog.catalog.survey.units.map { ($0.id, $0) })
        let records: [AggregateRecord] = (0..<20_000).map { (i: Int) -> AggregateRecord in
            AggregateRecord(dimensions: ["province": String(i % 31), "type": String(i % 7), "industry": String(i % 20)],
                            values: SampleSubmissions.clean(form, seed: UInt64(i), units: units))
        }
        let table = try Aggregator(form: form).aggregate(records, groupings: [[], ["province"], ["type"], ["province", "type"], ["industry"]])
        #expect(table.grouping(["province", "type"])!.groups.count == 31 * 7)
        #expect(table.national?.units == 20_000)
    }
}

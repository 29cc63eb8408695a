import DRSCore
import Testing

@Suite("Rule engine")
struct EngineTests {
    let catalog = try! TinyCatalog.catalog()
    var form: CompiledForm { catalog.form("T1")! }

    @Test func cleanSubmissionPasses() {
        let values = TinyCatalog.values(form, ["01:cum": "150", "02:cum": "100", "03:cum": "50", "01:cur": "10", "02:cur": "4", "04:cur": "3", "05:cur": "99.5"])
        #expect(form.check(values).isClean)
    }

    @Test func reportsTheSeedExampleInChinese() throws {
        let values = TinyCatalog.values(form, ["01:cum": "120", "02:cum": "100", "03:cum": "50"])
        let report = form.check(values)
        let v = try #require(report.errors.first { $0.ruleID == "T1-01" })
        #expect(v.message == "数据生产总量[01]=120 应 ≥ 设备设施采集数据总量[02]+系统/软件生成数据总量[03]=150（截至本年）")
        #expect(v.column == "cum")
        #expect(v.cells.map(\.code) == ["01", "02", "03"])
        #expect(v.cells.map(\.value) == ["120", "100", "50"])
        #expect(v.seed == "01≥02+03")
    }

    @Test func decimalsAreExact() {
        let values = TinyCatalog.values(form, ["01:cum": "0.3", "02:cum": "0.1", "03:cum": "0.2"])
        #expect(form.check(values).errors.isEmpty, "0.1 + 0.2 must equal 0.3 exactly")
        #expect(form.check(values).notes.isEmpty, "and exactly is not 'within rounding'")
        // Six decimals each: a difference of two millionths is beyond their rounding (3 × 0.0000005).
        let off = TinyCatalog.values(form, ["01:cum": "0.300001", "02:cum": "0.100001", "03:cum": "0.200002"])
        #expect(form.check(off).errors.map(\.ruleID).sorted() == ["T1-01", "T1-02"])
    }

    @Test func emptyCellsCountAsZeroAndAllEmptySkips() {
        // 02 and 03 empty: 01 = 0 + 0 must hold for T1-02 (01 = 02 + 03) → error, since 01 is filled.
        let values = TinyCatalog.values(form, ["01:cum": "5"])
        #expect(form.check(values).errors.map(\.ruleID) == ["T1-02"])
        // Nothing filled in a column: its rules are skipped.
        #expect(form.check(TinyCatalog.values(form, [:])).isClean)
        // Only a child filled in 本年实际: 01 (empty = 0) ≥ 02 fails.
        let child = TinyCatalog.values(form, ["02:cur": "1"])
        #expect(form.check(child).errors.map { "\($0.ruleID)/\($0.column)" } == ["T1-01/cur"])
    }

    @Test func derivedChecksFromUnits() {
        let values = TinyCatalog.values(form, ["01:cur": "-1", "04:cur": "2.5", "05:cur": "100.5"])
        let ids = Set(form.check(values).errors.map(\.ruleID))
        // 01 = -1 with empty parts also breaks 01 ≥ 02 + 03.
        #expect(ids == ["T1-NONNEG-01", "T1-INT-04", "T1-SHARE-05", "T1-03", "T1-01"])
        let negative = form.check(values).errors.first { $0.ruleID == "T1-NONNEG-01" }
        #expect(negative?.message == "数据生产总量[01]=-1 不能为负数（本年实际）")
    }

    @Test func yearOverYearNeedsAnExplanation() throws {
        let last = TinyCatalog.values(form, ["01:cur": "100", "02:cur": "5", "04:cur": "4"])
        let values = TinyCatalog.values(form, ["01:cur": "180", "02:cur": "5.5", "04:cur": "40", "01:prev": "100", "02:prev": "6"])
        let report = form.check(values, lastYear: last)
        let yoy = try #require(report.warnings.first { $0.ruleID == "T1-YOY-01" })
        #expect(yoy.needsExplanation && !yoy.isExplained)
        #expect(yoy.message == "数据生产总量[01]变化+80.0%")
        // 02: last year 5 < minimum base 10 → no check; 04: base 4 < 10 → no check either.
        #expect(!report.warnings.contains { $0.ruleID == "T1-YOY-02" || $0.ruleID == "T1-YOY-04" })
        // 上年同期 differs from last year's 本年实际 for 02 (6 ≠ 5) but not for 01.
        #expect(report.warnings.contains { $0.ruleID == "T1-PREV-02" })
        #expect(!report.warnings.contains { $0.ruleID == "T1-PREV-01" })
        #expect(report.blocksSubmission)
        let explained = form.check(values, lastYear: last, explanations: ["01": "新建数据中心投产"])
        #expect(explained.warnings.first { $0.ruleID == "T1-YOY-01" }?.explanation == "新建数据中心投产")
        // Explained, the warning no longer blocks: only the cells still blank do.
        #expect(explained.errors.isEmpty && !explained.missing.isEmpty)
        var complete = explained
        complete.missing = []
        #expect(!complete.blocksSubmission)
    }

    @Test func yearOverYearWithinThresholdIsQuiet() {
        let last = TinyCatalog.values(form, ["01:cur": "100"])
        let within = TinyCatalog.values(form, ["01:cur": "150"])
        #expect(!form.check(within, lastYear: last).warnings.contains { $0.ruleID == "T1-YOY-01" })
        let beyond = TinyCatalog.values(form, ["01:cur": "150.000001"])
        #expect(form.check(beyond, lastYear: last).warnings.contains { $0.ruleID == "T1-YOY-01" })
        let drop = TinyCatalog.values(form, ["01:cur": "49"])
        #expect(form.check(drop, lastYear: last).warnings.contains { $0.ruleID == "T1-YOY-01" })
    }

    @Test func thresholdIsConfigurable() throws {
        let strict = try CompiledForm(form: catalog.catalog.form("T1")!, survey: catalog.catalog.survey, codeLists: catalog.catalog.codeLists,
                                      yearOverYear: YearOverYearPolicy(threshold: 10, minimumBase: 10))
        let last = TinyCatalog.values(strict, ["01:cur": "100"])
        let values = TinyCatalog.values(strict, ["01:cur": "120"])
        #expect(strict.check(values, lastYear: last).warnings.contains { $0.ruleID == "T1-YOY-01" })
    }

    @Test func conditionalRowsFollowTheUnit() {
        let values = TinyCatalog.values(form, ["06:cur": "5"])
        #expect(form.check(values, profile: UnitProfile(telecomOperator: false)).errors.map(\.ruleID) == ["T1-APPLIES-06"])
        #expect(form.check(values, profile: UnitProfile(telecomOperator: true)).errors.isEmpty)
    }

    @Test func gridTotalsAndPerMemberRules() throws {
        let grid = catalog.form("G1")!
        let ok = TinyCatalog.values(grid, ["01:cur@000000": "30", "01:cur@110000": "10", "01:cur@310000": "20", "02:cur@110000": "3"])
        #expect(grid.check(ok).errors.isEmpty)
        let bad = TinyCatalog.values(grid, ["01:cur@000000": "31", "01:cur@110000": "10", "01:cur@310000": "20", "02:cur@310000": "21"])
        let errors = grid.check(bad).errors
        let total = try #require(errors.first { $0.ruleID == "G1-X01" })
        #expect(total.message.hasPrefix("全国合计应等于各地区之和："))
        #expect(total.cells.count == 3)
        let member = try #require(errors.first { $0.ruleID == "G1-01" })
        #expect(member.member == "310000")
        #expect(member.message == "系统总数[01]=20 应 ≥ 重要系统数[02]=21（本年实际，上海市）")
    }

    @Test func catalogDefectsAreReported() throws {
        var broken = catalog.catalog
        broken.forms[0].rules.append(Rule(id: "T1-99", expr: "[01] >= [99]", columns: ["cum"], severity: .error, origin: .printed))
        broken.forms[0].rules.append(Rule(id: "T1-98", expr: "[01] >=", columns: ["cum"], severity: .error, origin: .printed))
        #expect(throws: CatalogErrors.self) { try CompiledCatalog(broken) }
        do { _ = try CompiledCatalog(broken) } catch {
            #expect(error.description.contains("T1-99"))
            #expect(error.description.contains("T1-98"))
        }
    }

    /// A catalog listing a column, a unit of measure, a respondent type or a code twice is refused with
    /// each repeat named, never compiled into a trap (the catalog-loader fuzzer's find).
    @Test func anIdListedTwiceIsRefusedByName() throws {
        var broken = catalog.catalog
        let unit = try #require(broken.survey.units.first), column = try #require(broken.survey.columns.first)
        let type = try #require(broken.survey.respondentTypes.first)
        broken.survey.units.append(unit)
        broken.survey.columns.append(column)
        broken.survey.respondentTypes.append(type)
        let listID = try #require(broken.codeLists.keys.sorted().first)
        let member = try #require(broken.codeLists[listID]?.members.first)
        broken.codeLists[listID]?.members.append(member)
        do {
            _ = try CompiledCatalog(broken)
            Issue.record("a catalog with repeated ids compiled")
        } catch {
            let listName = broken.codeLists[listID]?.name ?? ""
            for expected in ["计量单位 \(unit.id) 重复", "栏目 \(column.id) 重复", "调查对象类型 \(type.id) 重复",
                             "代码表「\(listName)」的代码 \(member.code) 重复"] {
                #expect(error.description.contains(expected), "\(expected)")
            }
        }
    }
}

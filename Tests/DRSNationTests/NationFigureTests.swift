import DRSCore
import DRSNation
import Testing

@Suite struct NationFigureTests {
    @Test func sameSeedSameNationAnotherSeedAnother() throws {
        let a = try Shipped.nation(500, seed: 11), b = try Shipped.nation(500, seed: 11), c = try Shipped.nation(500, seed: 12)
        #expect(a.units == b.units)
        #expect(a.units != c.units)
        for index in stride(from: 0, to: 500, by: 37) {
            #expect(a.submissions(forUnit: index) == b.submissions(forUnit: index))
        }
        let differing = stride(from: 0, to: 500, by: 37).filter { a.submissions(forUnit: $0) != c.submissions(forUnit: $0) }
        #expect(differing.count > 10)
    }

    /// The acceptance point: every generated submission passes every rule of its form, warnings included.
    @Test func everySubmissionPassesEveryRule() throws {
        let nation = Shipped.mid
        var checked = 0, basic = 0
        for unit in nation.units {
            let submissions = nation.submissions(forUnit: unit.index)
            #expect(!submissions.isEmpty)
            for submission in submissions {
                let form = try #require(nation.form(submission.formID))
                let report = form.check(submission.values, lastYear: nation.lastYear(of: submission), profile: unit.profile)
                #expect(report.isClean, "\(unit.name) \(submission.formID) \(submission.year): \(report.errors.first?.message ?? report.warnings.first?.message ?? "")")
                if form.form.kind == .basicInfo {
                    let formats = BasicInfoChecker.check(submission.answers, form: form, codeLists: Shipped.catalog.catalog.codeLists,
                                                         respondentType: unit.types.first)
                    #expect(formats.isEmpty, "\(unit.name) \(submission.formID): \(formats.first?.message ?? "")")
                    basic += 1
                }
                checked += 1
            }
        }
        #expect(checked > 7_000)
        #expect(basic * 3 > checked, "every unit but public security files 公共1表 or 企业1表 too")
    }

    @Test func previousColumnRepeatsLastYearAndFiguresGrow() throws {
        let nation = Shipped.mid
        var grew = 0, compared = 0
        for unit in nation.units.prefix(600) where unit.existedLastYear {
            let submissions = nation.submissions(forUnit: unit.index)
            for this in submissions where this.year == 2026 {
                let last = try #require(submissions.first { $0.year == 2025 && $0.formID == this.formID })
                #expect(last.status == .verified)
                let form = try #require(nation.form(this.formID))
                for (slot, cell) in form.layout.cells.enumerated() where cell.key.column == "prev" && this.values.present[slot] {
                    let cur = try #require(form.layout.slot(code: cell.key.code, column: "cur", member: cell.key.member))
                    #expect(this.values[slot] == last.values[cur])
                }
                let before = nation.productionTB(last), after = nation.productionTB(this)
                if before > 0 {
                    compared += 1
                    if after >= before * 1.099 && after <= before * 1.301 { grew += 1 }
                }
            }
        }
        #expect(compared > 100 && grew * 100 >= compared * 97, "production grows 10–30% for almost every unit (\(grew)/\(compared))")
    }

    @Test func newUnitsHaveOnlyThisYear() {
        let nation = Shipped.mid
        for unit in nation.units where !unit.existedLastYear {
            #expect(nation.submissions(forUnit: unit.index).allSatisfy { $0.year == 2026 && $0.status == unit.status })
        }
    }

    @Test func theTopOnePercentHoldALargeShareOfProduction() {
        let nation = Shipped.mid
        let production = nation.units.map { unit in
            nation.submissions(forUnit: unit.index).filter { $0.year == 2026 }.reduce(0.0) { $0 + nation.productionTB($1) }
        }
        let total = production.reduce(0, +)
        let top = production.sorted(by: >).prefix(nation.units.count / 100).reduce(0, +)
        #expect(top > total * 0.2, "top 1% hold \(top / total)")
    }

    @Test func submissionFilesCarryFlagsAndLastYear() throws {
        let nation = Shipped.mid
        let unit = try #require(nation.units.first { $0.existedLastYear && $0.telecomOperator })
        let this = try #require(nation.submissions(forUnit: unit.index).first { $0.year == 2026 && $0.answers.isEmpty })
        let document = try #require(nation.document(this))
        let read = try SubmissionReader.read(document, catalog: Shipped.catalog)
        #expect(read.values == this.values && read.lastYear != nil && read.profile?.telecomOperator == true)
        #expect(Shipped.catalog.check(read).isClean)
    }
}

@Suite struct NationStoredCellsTests {
    /// The loader's direct writer gives exactly the text storage's encoder would.
    @Test func storedCellsEqualTheStoreEncoding() throws {
        let nation = Shipped.mid
        for index in stride(from: 0, to: nation.units.count, by: 97) {
            for submission in nation.submissions(forUnit: index) {
                let form = try #require(nation.form(submission.formID))
                let map = form.cellMap(submission.values)
                let expected = JSONValue.object(map.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }).serialized()
                #expect(nation.storedCells(submission) == expected)
            }
        }
    }
}

@Suite struct NationBasicInformationTests {
    /// 企业1表 and 公共1表 as files: read back, they pass the catalog's whole check (rules and formats).
    @Test func basicInformationFilesPass() throws {
        let nation = Shipped.mid
        var seen = Set<String>()
        for unit in nation.units.prefix(400) {
            for submission in nation.submissions(forUnit: unit.index) where !submission.answers.isEmpty {
                let document = try #require(nation.document(submission))
                let read = try SubmissionReader.read(document, catalog: Shipped.catalog)
                let report = Shipped.catalog.check(read, respondentType: unit.types.first)
                #expect(report.isClean, "\(unit.name) \(submission.formID): \(report.errors.first?.message ?? report.warnings.first?.message ?? "")")
                seen.insert(submission.formID)
            }
        }
        #expect(seen.count == 2)
    }
}

@Suite struct NationConsolidationTests {
    /// A headquarters files the group: its figures of the consolidated form hold every subsidiary's.
    @Test func headquartersHoldTheirSubsidiaries() throws {
        let nation = Shipped.mid
        let headquarters = nation.units.filter { $0.parentIndex == nil && $0.types == ["centralEnterprise"] }
        var compared = 0
        for hq in headquarters {
            let subsidiaries = nation.units.filter { $0.parentIndex == hq.index }
            guard !subsidiaries.isEmpty else { continue }
            let ownForms = nation.submissions(forUnit: hq.index).filter { $0.year == 2026 && $0.answers.isEmpty }
            for group in ownForms {
                let parts = subsidiaries.flatMap { nation.submissions(forUnit: $0.index) }.filter { $0.year == 2026 && $0.formID == group.formID }
                #expect(parts.allSatisfy(nation.isConsolidatedAway))
                #expect(!nation.isConsolidatedAway(group))
                let sum = parts.reduce(0.0) { $0 + nation.productionTB($1) }
                #expect(nation.productionTB(group) > sum, "\(hq.name) \(group.formID)")
                compared += 1
            }
        }
        #expect(compared >= 3)
    }
}

@Suite struct NationCumulativeTests {
    /// 截至本年 (since operations began) is at least the year's 本年实际 in nearly every row.
    @Test func cumulativeHoldsTheYear() throws {
        let nation = Shipped.mid
        var rows = 0, below = 0
        for unit in nation.units.prefix(500) {
            for submission in nation.submissions(forUnit: unit.index) where submission.answers.isEmpty {
                let form = try #require(nation.form(submission.formID))
                for (slot, cell) in form.layout.cells.enumerated() where cell.key.column == "cum" && submission.values.present[slot] {
                    guard let cur = form.layout.slot(code: cell.key.code, column: "cur", member: cell.key.member),
                          let total = submission.values[slot], let year = submission.values[cur], cell.unit != "%" else { continue }
                    rows += 1
                    if total < year { below += 1 }
                }
            }
        }
        #expect(rows > 1_000 && below * 50 < rows, "\(below) of \(rows) cumulative cells below the year's")
    }
}

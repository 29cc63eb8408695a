import DRSCore
import DRSDisclosure
@testable import DRSReport
import Testing

@Suite struct ReportBuilderTests {
    /// The standard tiny nation's report, built once for the suite.
    static let built = Task { try await Shipped.builder().build(TinyNation.standard().input) }
    var document: ReportDocument { get async throws { try await Self.built.value } }

    @Test func shippedTemplateMatchesTheCatalog() async throws {
        #expect(Shipped.template.problems(catalog: Shipped.catalog) == [])
        #expect(Shipped.template.chapters.count >= 8)
    }

    @Test func aTemplateNamingAnUnknownCellIsRefused() async throws {
        var template = Shipped.template
        template.measures[0].sources.append(.init(form: "E5", indicator: "999", weight: nil))
        await #expect(throws: ReportBuildError.self) { try await Shipped.builder(template).build(TinyNation.standard().input) }
    }

    @Test func aYearWithoutVerifiedFiguresIsRefused() async throws {
        let empty = ReportInput(year: 2026, catalog: Shipped.catalog, records: [:], lastYearRecords: [:], coverage: [])
        await #expect(throws: ReportBuildError.self) { try await Shipped.builder().build(empty) }
    }

    @Test func everyProtectedTablePassesTheAttackersAudit() async throws {
        let audit = (try await document).audit
        #expect(audit.passes)
        #expect(audit.primary > 0)
        #expect(audit.sensitiveCells >= audit.primary)
    }

    @Test func aProvinceOfOneUnitAndAProvinceOfOneHoldingAreWithheld() async throws {
        let cells = (try await document).cells.filter { $0.table == "1-2" && $0.column == "cur" }
        let chongqing = try #require(cells.first { $0.province == "500000" })
        let sichuan = try #require(cells.first { $0.province == "510000" })
        #expect(chongqing.suppressed && chongqing.value == nil && chongqing.contributors == 1)
        // Two units of one holding: two contributors printed, one by the safety rules.
        #expect(sichuan.suppressed && sichuan.value == nil && sichuan.contributors == 2)
        // Their shares and ranks are withheld too: a share of a withheld cell would give it away.
        let derived = (try await document).cells.filter { $0.table == "1-2" && ["500000", "510000"].contains($0.province) && $0.column != "cur" }
        #expect(derived.allSatisfy { $0.suppressed || $0.column.hasSuffix("/rank") == false })
        #expect(!derived.contains { $0.column.hasSuffix("/rank") })
    }

    @Test func noPublishedCellHasFewerThanThreeHoldings() async throws {
        let nation = TinyNation.standard()
        var holdings: [String: Set<String>] = [:]
        for (_, records) in nation.records {
            for r in records { holdings[r.province, default: []].insert(r.holding ?? r.unit) }
        }
        for cell in (try await document).cells where cell.table == "1-2" && cell.column == "cur" && !cell.suppressed && cell.contributors > 0 && cell.province != "Total" {
            #expect((holdings[cell.province]?.count ?? 0) >= 3, "\(cell.province)")
        }
    }

    @Test func theNationalFigureIsTheExactSumOfTheUnits() async throws {
        let nation = TinyNation.standard()
        var sum = ExactDecimal.zero
        for (form, code) in [("E5", "01"), ("E6", "11")] {
            let slot = try #require(Shipped.catalog.forms[form]?.layout.slot(code: code, column: "cur"))
            for r in nation.records[form] ?? [] { sum = try sum.adding(try #require(r.values[slot])) }
        }
        let national = try #require((try await document).cells.first { $0.table == "1-1" && $0.column == "cur" && $0.indicator.hasPrefix("01|") })
        #expect(national.value == sum)
        #expect(national.contributors == nation.records.values.reduce(0) { $0 + $1.count })
    }

    @Test func theColdDataShareIsWeightedByStorageNotASumOfRatios() async throws {
        let nation = TinyNation.standard()
        var product: Int128 = 0, weight: Int128 = 0
        for (form, share, storage) in [("E5", "16", "06"), ("E6", "29", "16")] {
            let layout = try #require(Shipped.catalog.forms[form]?.layout)
            let s = try #require(layout.slot(code: share, column: "cum")), w = try #require(layout.slot(code: storage, column: "cum"))
            for r in nation.records[form] ?? [] {
                guard let x = r.values[s], let y = r.values[w] else { continue }
                product += x.units * y.units
                weight += y.units
            }
        }
        let expected = ExactDecimal(units: product, scale: 12).quotient(dividedBy: ExactDecimal(units: weight, scale: 6), decimals: 2)
        let cell = try #require((try await document).cells.first { $0.table == "2-1" && $0.indicator.contains("[") && $0.column == "cum" })
        #expect(cell.value == expected)
    }

    @Test func aRatioOfAWithheldCellIsWithheld() async throws {
        let utilisation = try #require((try await document).cells.first { $0.table == "2-2" && $0.province == "500000" && $0.indicator.contains("/") })
        #expect(utilisation.suppressed && utilisation.value == nil)
    }

    @Test func growthOfUnitsInBothYearsIsExact() async throws {
        // Every unit's figures grew from 90 to 100: +11.11%.
        let cell = try #require((try await document).cells.first { $0.table == "1-1" && $0.column == "cur/growthMatched" && $0.indicator.hasPrefix("01|") })
        #expect(cell.value == ExactDecimal(units: 1111, scale: 2))
    }

    @Test func sentencesQuoteOnlyPublishedFigures() async throws {
        let production = try #require((try await document).chapters.first { $0.id == "production" })
        let text = production.paragraphs.joined()
        // 重庆 holds the largest figure but is withheld: the ranking of provinces leaves it out.
        #expect(!text.contains("重庆"))
        #expect(text.contains("北京") || text.contains("上海") || text.contains("广东") || text.contains("江苏"))
        #expect(!(try await document).chapters.flatMap(\.paragraphs).joined().contains("{"))
    }

    @Test func cellsCSVHasTheExactHeaderAndEmptyValuesOnlyWhenWithheld() async throws {
        let csv = PublishedCellsCSV.cells((try await document))
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines.first == "table,form,indicator,column,province,resp_type,industry,value,status,contributors")
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == 10, "\(line)")
            guard fields.count == 10 else { continue }
            #expect(["published", "suppressed"].contains(fields[8]))
            #expect(fields[7].isEmpty == (fields[8] == "suppressed"), "\(line)")
        }
    }

    @Test func theHTMLIsSelfContainedWithAChartPerChartedTable() async throws {
        let html = ReportHTML.render((try await document), mark: "草稿")
        let charts = (try await document).chapters.flatMap(\.tables).filter { $0.chart != nil }.count
        #expect(html.components(separatedBy: "<svg").count - 1 == charts)
        #expect(html.contains(ReportDocument.suppressedFootnote))
        #expect(html.contains("草稿"))
        // Nothing fetched from elsewhere: no script, no stylesheet link, no remote source.
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src=\"http") && !html.contains("href=\"http"))
    }

    @Test func readableUnitsScaleTerabytesToZettabytes() async throws {
        let unit = ReadableUnit.choose(for: "TB", largest: ExactDecimal(41_060_000_000))
        #expect(unit.name == "ZB")
        #expect(unit.text(ExactDecimal(41_060_000_000)) == "41.06")
        #expect(ReadableUnit.choose(for: "万元", largest: ExactDecimal(16_000_000)).name == "亿元")
        #expect(ReadableUnit.choose(for: "TFLOPS", largest: ExactDecimal(280_000_000)).text(ExactDecimal(280_000_000)) == "280.00")
        #expect(ReadableUnit.grouped(ExactDecimal(1_234_567), decimals: 2) == "1,234,567.00")
    }
}


@Suite struct ContributorCountTests {
    /// A unit of two respondent types files two forms of one measure: one unit, one holding.
    @Test func aUnitFilingTwoFormsOfAMeasureIsOneContributor() throws {
        let figure = { (form: String, unit: String, value: Int) in
            UnitFigure(record: 0, form: form, unit: unit, province: "110000", type: form == "E5" ? "dataTechEnterprise" : "dataAppEnterprise",
                       industry: "I", holding: unit, value: ExactDecimal(value), weight: nil, product: nil)
        }
        let sums = ProtectedMeasure.sums([figure("E5", "u1", 5), figure("E6", "u1", 7), figure("E5", "u2", 1)])
        let national = try #require(sums[.national])
        #expect(national.value == ExactDecimal(13))
        #expect(national.units == 2)
        #expect(sums[FigureKey(breakdown: .type, code: "dataTechEnterprise")]?.units == 2)
    }
}

import DRSCore
import Foundation
import Testing

/// Indicator codes, names and units agree with the seed: with 主要指标解释 (numbered items and '——'
/// sub-items take consecutive codes, which is how the lost pages are rebuilt) and with every visible
/// table row.
@Suite("Indicators agree with the seed")
struct SeedIndicatorsTests {
    struct Explained: Equatable { var code: String; var name: String; var unit: String; var isSubItem: Bool }

    /// 主要指标解释, section by section: form id → items in order with derived codes.
    static func explanations() -> [String: [Explained]] {
        let text = Shipped.seed
        let start = text.range(of: "四、主要指标解释", options: .backwards)!.upperBound
        let end = text.range(of: "五、附录", options: .backwards)!.lowerBound
        let lines = text[start..<end].split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }
        let header = try! NSRegularExpression(pattern: #"^[（(][一二三四五六七八九十]+[)）]\s*.*（(公共|企业|行业)(\d)表）$"#)
        let numbered = try! NSRegularExpression(pattern: #"^(\d+)[.．]\s*(?:\*\*)?([^：:*]+?)(?:\*\*)?[：:]"#)
        let sub = try! NSRegularExpression(pattern: #"^——\s*(?:\*\*)?([^：:*]+?)(?:\*\*)?[：:]"#)
        var result: [String: [Explained]] = [:]
        var form: String?
        var items: [(name: String, text: String, sub: Bool)] = []
        func flush() {
            guard let form, !["P1", "E1"].contains(form) else { items = []; return }
            result[form] = items.enumerated().map { i, item in
                let unitRange = item.text.range(of: "计量单位：")
                var unit = unitRange.map { String(item.text[$0.upperBound...]) } ?? ""
                unit = String(unit.filter { !$0.isWhitespace }.prefix { $0 != "。" })
                return Explained(code: String(format: "%02d", i + 1), name: Shipped.normalize(item.name), unit: unit, isSubItem: item.sub)
            }
            items = []
        }
        for line in lines where !line.isEmpty {
            let range = NSRange(line.startIndex..., in: line)
            if let m = header.firstMatch(in: line, range: range) {
                flush()
                let group = String(line[Range(m.range(at: 1), in: line)!]), number = String(line[Range(m.range(at: 2), in: line)!])
                form = ["公共": "P", "企业": "E", "行业": "I"][group]! + number
            } else if let m = numbered.firstMatch(in: line, range: range) {
                items.append((String(line[Range(m.range(at: 2), in: line)!]), line, false))
            } else if let m = sub.firstMatch(in: line, range: range) {
                items.append((String(line[Range(m.range(at: 1), in: line)!]), line, true))
            } else if !items.isEmpty {
                items[items.count - 1].text += line   // a definition continued on the next paragraph
            }
        }
        flush()
        return result
    }

    @Test func everyNumericFormIsExplained() {
        #expect(Set(Self.explanations().keys) == ["P2", "P3", "P4", "P5", "E2", "E3", "E4", "E5", "E6", "E7", "I1"])
    }

    @Test(arguments: ["P2", "P3", "P4", "P5", "E2", "E3", "E4", "E5", "E6", "E7", "I1"])
    func codesNamesAndUnitsFollowTheDefinitions(_ formID: String) throws {
        let explained = try #require(Self.explanations()[formID])
        let form = try #require(Shipped.catalog.catalog.form(formID))
        #expect(form.allIndicators.map(\.code) == explained.map(\.code), "codes of \(formID)")
        for (indicator, item) in zip(form.allIndicators, explained) {
            #expect(Shipped.normalize(indicator.name) == item.name, "\(formID) \(indicator.code) name")
            #expect(indicator.unit == item.unit, "\(formID) \(indicator.code) unit")
            #expect((indicator.parent != nil) == item.isSubItem, "\(formID) \(indicator.code) parent")
            #expect(!(indicator.definition ?? "").isEmpty, "\(formID) \(indicator.code) definition")
        }
    }

    /// Rows printed in the surviving tables: `name<TAB>unit<TAB>code<TAB>…`.
    @Test func everyVisibleTableRowMatchesACatalogRow() throws {
        let start = Shipped.seed.range(of: "三、调查表式")!.upperBound
        let end = Shipped.seed.range(of: "四、主要指标解释", options: .backwards)!.lowerBound
        var checked = 0
        let forms = Shipped.catalog.catalog.forms.filter { $0.kind != .basicInfo }
        for line in Shipped.seed[start..<end].split(separator: "\n") {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, cells[2].count == 2, !cells[0].allSatisfy(\.isNumber), cells[2].allSatisfy(\.isNumber), cells[1] != "---", cells[1] != "——" else { continue }
            let name = Shipped.normalize(cells[0]), unit = cells[1], code = cells[2]
            let match = forms.contains { form in
                guard let indicator = form.indicator(code) else { return false }
                return indicator.unit == unit
                    && (Shipped.normalize(indicator.name) == name || indicator.printedName.map(Shipped.normalize) == name)
            }
            #expect(match, "table row \(code) \(cells[0]) (\(unit)) has no catalog row")
            checked += 1
        }
        #expect(checked > 250)
    }

    @Test func theGridsHaveTheirShape() throws {
        let catalog = Shipped.catalog
        let e4 = try #require(catalog.form("E4"))
        #expect(e4.form.allIndicators.count == 20)
        #expect(catalog.catalog.codeLists["industrySections"]?.members.map(\.code) == (65...84).map { String(UnicodeScalar($0)!) })
        #expect(e4.layout.count == 20 * 20 * 2)   // 20 indicators × 20 sections × this year and last year
        let p5 = try #require(catalog.form("P5"))
        #expect(p5.layout.count == 4 * 33 * 2)    // 全国 + 31 provinces + 兵团, × 4 indicators × 2 years
        let e2 = try #require(catalog.form("E2"))
        #expect(e2.layout.membersByRow["02"]?.count == 31)   // 31省销售量
    }

    @Test func optionalPartsApplyToTheRightUnits() throws {
        let e2 = try #require(Shipped.catalog.catalog.form("E2"))
        #expect(e2.allIndicators.filter { $0.appliesTo == .notTelecomOperator }.map(\.code) == (1...10).map { String(format: "%02d", $0) })
        #expect(e2.allIndicators.filter { $0.appliesTo == .telecomOperator }.map(\.code) == (77...91).map { String(format: "%02d", $0) })
        let e5 = try #require(Shipped.catalog.catalog.form("E5"))
        #expect(e5.allIndicators.filter { $0.appliesTo == .stateOwned }.map(\.code) == ["70", "71", "72", "73"])
        #expect(e5.allIndicators.filter { $0.appliesTo == .internetPlatform }.map(\.code) == ["74", "75", "76", "77"])
        let e6 = try #require(Shipped.catalog.catalog.form("E6"))
        #expect(e6.allIndicators.filter { $0.appliesTo == .stateOwned }.map(\.code) == ["66", "67", "68", "69"])
    }

    @Test func sharesAndAveragesAreNeverSummed() {
        for form in Shipped.catalog.catalog.forms {
            // 平均每日… are averages over the days of the year: additive across units, so summed.
            for indicator in form.allIndicators where indicator.unit == "%" || (indicator.name.contains("平均") && !indicator.name.contains("平均每日")) {
                #expect(indicator.aggregation?.method != .sum, "\(form.id) \(indicator.code) \(indicator.name)")
            }
            for indicator in form.allIndicators where indicator.name == "冷数据占比" {
                #expect(indicator.aggregation?.method == .weightedMean)
                let base = form.allIndicators.first { $0.name == "数据存储总量" }!.code
                #expect(indicator.aggregation?.weight == "[\(base)]", "\(form.id) 冷数据占比 weighted by 数据存储总量")
            }
        }
    }
}

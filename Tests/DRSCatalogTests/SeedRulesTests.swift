import DRSCore
import Foundation
import Testing

/// Every 审核关系 printed in the seed is a rule of the right form, with the right operands, operator
/// and scope. The seed's notes are parsed here independently of how the catalog was built.
@Suite("The 191 printed rules agree with the seed")
struct SeedRulesTests {
    /// A relation as printed: `04≥05（仅指截至本年）`.
    struct Relation: Equatable, CustomStringConvertible {
        var lhs: [String]
        var op: String
        var rhs: [String]
        var cumulativeOnly: Bool
        var description: String { "\(lhs.joined(separator: "+"))\(op)\(rhs.joined(separator: "+"))\(cumulativeOnly ? "（仅指截至本年）" : "")" }
    }

    /// Which form a note belongs to, by what its first item says (notes are out of order in the seed).
    static func form(ofNote note: String) -> String? {
        let markers: [(String, String)] = [
            ("科研机构的统一社会信用代码", "P3"), ("国家科学数据中心依托单位", "P4"), ("中央企业的统一社会信用代码", "E2"),
            ("数据集团的统一社会信用代码", "E3"), ("数据交易机构的统一社会信用代码", "E4"), ("数据技术企业的统一社会信用代码", "E5"),
            ("数据应用企业的统一社会信用代码", "E6"), ("可信数据空间运营机构的统一社会信用代码", "E7"), ("调查范围为各级党政机关", "P2"),
        ]
        return markers.first { note.contains($0.0) }?.1
    }

    static func seedRelations() -> [String: [Relation]] {
        var result: [String: [Relation]] = [:]
        let text = Shipped.seed
        var searchStart = text.startIndex
        while let marker = text.range(of: "审核关系：", range: searchStart..<text.endIndex) {
            // The note starts at the preceding 填报说明.
            let noteStart = text.range(of: "填报说明", options: .backwards, range: text.startIndex..<marker.lowerBound)!.lowerBound
            let end = text[marker.upperBound...].firstIndex(of: "。") ?? text.endIndex
            let body = String(text[marker.upperBound..<end])
            let note = String(text[noteStart..<end])
            searchStart = end
            guard let form = form(ofNote: note) else { continue }
            let cleaned = body.replacingOccurrences(of: "$", with: "").replacingOccurrences(of: "\\geq", with: "≥")
                .replacingOccurrences(of: "\\%", with: "%").filter { !$0.isWhitespace }
            for part in cleaned.split(whereSeparator: { $0 == "，" || $0 == "," }) {
                var p = String(part)
                let cumulative = p.contains("仅指截至本年")
                p = p.replacingOccurrences(of: "（仅指截至本年）", with: "").replacingOccurrences(of: "%", with: "")
                let op = ["≥", "<", "="].first { p.contains($0) }!
                let sides = p.components(separatedBy: op)
                result[form, default: []].append(Relation(lhs: sides[0].components(separatedBy: "+"), op: op,
                                                           rhs: sides[1].components(separatedBy: "+"), cumulativeOnly: cumulative))
            }
        }
        return result
    }

    /// The relation a catalog rule expresses, read from its parsed expression.
    static func relation(of rule: Rule) throws -> Relation {
        let program = try RuleParser.parse(rule.expr)
        guard case .comparison(let l, let op, let r) = program.condition else { throw CatalogError(form: nil, reason: rule.expr) }
        func terms(_ e: RuleExpression) -> [String] {
            switch e {
            case .cell(let ref): [ref.code]
            case .literal(let v): [v.description]
            case .binary(.add, let a, let b): terms(a) + terms(b)
            default: ["?"]
            }
        }
        let symbol = [ComparisonOperator.greaterOrEqual: "≥", .less: "<", .equal: "="][op] ?? op.rawValue
        return Relation(lhs: terms(l), op: symbol, rhs: terms(r), cumulativeOnly: rule.columns == ["cum"])
    }

    @Test func theSeedPrints191Relations() {
        let seed = Self.seedRelations()
        #expect(seed.values.reduce(0) { $0 + $1.count } == 191)
        #expect(Set(seed.keys) == ["P2", "P3", "P4", "E2", "E3", "E4", "E5", "E6", "E7"])
    }

    @Test(arguments: ["P2", "P3", "P4", "E2", "E3", "E4", "E5", "E6", "E7"])
    func everyPrintedRuleMatches(_ formID: String) throws {
        let seed = Self.seedRelations()[formID] ?? []
        let form = try #require(Shipped.catalog.catalog.form(formID))
        let printed = form.rules.filter { $0.origin == .printed }
        #expect(printed.count == seed.count)
        for (rule, relation) in zip(printed, seed) {
            #expect(try Self.relation(of: rule) == relation, "\(rule.id): \(rule.expr) vs seed \(relation)")
            #expect(rule.severity == .error)
            #expect(Shipped.normalize(rule.seed ?? "").replacingOccurrences(of: "%", with: "") == relation.description, "\(rule.id) seed text")
            if !relation.cumulativeOnly {
                // Every numeric column all the named rows have.
                var common: Set<String>?
                for code in relation.lhs + relation.rhs where code.count == 2 {
                    let columns = Set(try #require(form.indicator(code), "\(rule.id) names \(code)").columns)
                    common = common.map { $0.intersection(columns) } ?? columns
                }
                #expect(Set(rule.columns) == common, "\(rule.id) columns")
            }
        }
    }

    @Test func rulesIDsAreUniqueAndInPrintedOrder() {
        for form in Shipped.catalog.catalog.forms {
            let printed = form.rules.filter { $0.origin == .printed }.map(\.id)
            #expect(printed == printed.indices.map { String(format: "\(form.id)-%02d", $0 + 1) })
        }
    }
}

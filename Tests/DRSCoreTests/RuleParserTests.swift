import DRSCore
import Testing

@Suite("Rule language")
struct RuleParserTests {
    @Test func parsesTheSeedShapes() throws {
        #expect(try RuleParser.parse("[01] >= [02] + [03]").source == "[01] >= [02] + [03]")
        #expect(try RuleParser.parse("[73]=[74]+[75]+[76]").source == "[73] = [74] + [75] + [76]")
        #expect(try RuleParser.parse("[15] < 100").source == "[15] < 100")
        #expect(try RuleParser.parse("[01] ≥ [02]").source == "[01] >= [02]")
        #expect(try RuleParser.parse("[01:cum] >= [01:cur]").source == "[01:cum] >= [01:cur]")
        #expect(try RuleParser.parse("[01@000000] = sum([01@*])").source == "[01@000000] = sum([01@*])")
        #expect(try RuleParser.parse("[Q05.day] + [Q05.month] = 100").source == "[Q05.day] + [Q05.month] = 100")
    }

    @Test func parsesCrossPeriodRules() throws {
        let rule = try RuleParser.parse("abs([*:cur] - last([*:cur])) * 100 <= $threshold * abs(last([*:cur])) when abs(last([*:cur])) >= $minimumBase")
        #expect(rule.guardCondition != nil)
        #expect(rule.references.contains { $0.isLastYear })
        #expect(rule.source.contains("when"))
    }

    @Test func parsesBooleanStructure() throws {
        let rule = try RuleParser.parse("([01] = 0 or [02] > 0) and not integer([03])")
        #expect(rule.source == "([01] = 0 or [02] > 0) and not (integer([03]))")
        #expect(try RuleParser.parse("([01] + [02]) * 2 >= [03]").source == "([01] + [02]) * 2 >= [03]")
    }

    @Test(arguments: [
        ("[01] >= [02] +", 15, "规则不完整"),
        ("[01] >= ", 9, "规则不完整"),
        ("[01 >= [02]", 5, "缺少 ]"),
        ("[01] [02]", 6, "比较符"),
        ("[01] >= [02] / 2", 14, "不支持除法"),
        ("[01] >= foo([02])", 9, "未知的函数"),
        ("[] >= 1", 2, "指标代码"),
        ("[01] >= 1.2345678", 9, "小数位数过多"),
        ("[01] >= [02] )", 14, "多余的内容"),
        ("", 1, "规则为空"),
    ])
    func syntaxErrorsSayWhere(_ text: String, _ position: Int, _ reason: String) {
        do {
            _ = try RuleParser.parse(text)
            Issue.record("expected a syntax error in \(text)")
        } catch {
            #expect(error.position == position, "\(error.description)")
            #expect(error.reason.contains(reason), "\(error.description)")
            #expect(error.description.contains("第\(position)个字符"))
        }
    }
}

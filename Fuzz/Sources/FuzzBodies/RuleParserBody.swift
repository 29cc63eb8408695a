import DRSCore

/// The rule language (catalog rules, aggregation weights): any text parses or is rejected with a
/// position; what parses renders back to text that parses to the same rule.
enum RuleParserBody {
    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let program = try? RuleParser.parse(text) {
            let source = program.source
            let again = try? RuleParser.parse(source)
            FuzzInvariant.check(again != nil, "rendered rule does not parse: \(source)")
            if let again { FuzzInvariant.check(again.source == source, "rendering is not stable: \(source) → \(again.source)") }
        } else if let error = Result(catching: { () throws(RuleSyntaxError) in try RuleParser.parse(text) }).failureValue {
            _ = error.description
            _ = error.pointer
        }
        if let expression = try? RuleParser.parseExpression(text) {
            _ = try? RuleParser.parseExpression(expression.source)
        }
    }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// A syntax error in a rule, with the position (1-based character) where it was found.
public struct RuleSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var expression: String
    public var position: Int
    public var reason: String

    /// `规则「[01] >= [02] +」第14个字符处：此处应为一个数值、单元格引用或函数`
    public var description: String {
        "规则「\(expression)」第\(position)个字符处：\(reason)"
    }

    /// The expression with a caret under the position, for terminals.
    public var pointer: String {
        expression + "\n" + String(repeating: " ", count: max(0, position - 1)) + "^"
    }
}

/// Parses the rule language.
///
/// ```
/// rule       := condition ('when' condition)?
/// condition  := conjunct ('or' conjunct)*
/// conjunct   := negation ('and' negation)*
/// negation   := 'not' negation | 'integer' '(' expr ')' | '(' condition ')' | expr cmp expr
/// cmp        := '>=' | '<=' | '>' | '<' | '=' | '!=' | '≥' | '≤' | '≠'
/// expr       := term (('+' | '-') term)*
/// term       := factor ('*' factor)*
/// factor     := number | '$' name | cell | '-' factor | '(' expr ')' | func '(' args ')'
/// cell       := '[' (code | '*') (':' column)? ('@' (member | '*'))? ']'
/// func       := 'abs' | 'min' | 'max' | 'sum' | 'last'
/// ```
/// There is no division: every rule is decided on exact decimals (write `a * 100 <= 50 * b`).
public enum RuleParser {
    public static func parse(_ text: String) throws(RuleSyntaxError) -> RuleProgram {
        var parser = Parser(text: text)
        return try parser.rule()
    }

    /// Parses a bare arithmetic expression (an aggregation weight such as `[06] * [03]`).
    public static func parseExpression(_ text: String) throws(RuleSyntaxError) -> RuleExpression {
        var parser = Parser(text: text)
        let e = try parser.expression()
        parser.skipSpaces()
        if !parser.atEnd { throw parser.error("表达式结束后还有多余的内容") }
        return e
    }
}

private struct Parser {
    let text: String
    let chars: [Character]
    var index = 0

    init(text: String) {
        self.text = text
        self.chars = Array(text)
    }

    var atEnd: Bool { index >= chars.count }

    func error(_ reason: String, at position: Int? = nil) -> RuleSyntaxError {
        RuleSyntaxError(expression: text, position: (position ?? index) + 1, reason: reason)
    }

    mutating func skipSpaces() {
        while index < chars.count, chars[index].isWhitespace { index += 1 }
    }

    mutating func consume(_ literal: String) -> Bool {
        skipSpaces()
        let l = Array(literal)
        guard index + l.count <= chars.count, Array(chars[index..<index + l.count]) == l else { return false }
        index += l.count
        return true
    }

    /// Consumes a keyword only when it stands alone (not the start of a longer name).
    mutating func consumeWord(_ word: String) -> Bool {
        skipSpaces()
        let saved = index
        guard consume(word) else { return false }
        if index < chars.count, chars[index].isLetter || chars[index].isNumber || chars[index] == "_" {
            index = saved
            return false
        }
        return true
    }

    mutating func rule() throws(RuleSyntaxError) -> RuleProgram {
        skipSpaces()
        if atEnd { throw error("规则为空") }
        let condition = try self.condition()
        var guardCondition: RuleCondition?
        if consumeWord("when") {
            guardCondition = try self.condition()
        }
        skipSpaces()
        if !atEnd { throw error("规则结束后还有多余的内容「\(String(chars[index...]))」") }
        return RuleProgram(condition: condition, guardCondition: guardCondition)
    }

    mutating func condition() throws(RuleSyntaxError) -> RuleCondition {
        var left = try conjunct()
        while consumeWord("or") { left = .or(left, try conjunct()) }
        return left
    }

    mutating func conjunct() throws(RuleSyntaxError) -> RuleCondition {
        var left = try negation()
        while consumeWord("and") { left = .and(left, try negation()) }
        return left
    }

    mutating func negation() throws(RuleSyntaxError) -> RuleCondition {
        if consumeWord("not") { return .not(try negation()) }
        if consumeWord("integer") {
            guard consume("(") else { throw error("integer 后应为左括号 (") }
            let e = try expression()
            guard consume(")") else { throw error("缺少右括号 )") }
            return .integer(e)
        }
        // A parenthesis may open a condition or an arithmetic expression: try the condition first.
        skipSpaces()
        if index < chars.count, chars[index] == "(" {
            let saved = index
            index += 1
            if let inner = try? condition(), consume(")") {
                skipSpaces()
                // `(a + b) >= c` parses as an expression followed by a comparison, not a condition.
                if peekComparison() == nil { return inner }
            }
            index = saved
        }
        let left = try expression()
        let start = index
        guard let op = comparison() else {
            skipSpaces()
            throw error(atEnd ? "规则不完整：缺少比较符（>=、<=、=、>、<、!=）" : "此处应为比较符（>=、<=、=、>、<、!=）", at: max(start, index))
        }
        let right = try expression()
        return .comparison(left, op, right)
    }

    mutating func peekComparison() -> ComparisonOperator? {
        let saved = index
        defer { index = saved }
        return comparison()
    }

    mutating func comparison() -> ComparisonOperator? {
        let table: [(String, ComparisonOperator)] = [
            (">=", .greaterOrEqual), ("<=", .lessOrEqual), ("!=", .notEqual), ("≥", .greaterOrEqual),
            ("≤", .lessOrEqual), ("≠", .notEqual), ("==", .equal), (">", .greater), ("<", .less), ("=", .equal),
        ]
        for (symbol, op) in table where consume(symbol) { return op }
        return nil
    }

    mutating func expression() throws(RuleSyntaxError) -> RuleExpression {
        var left = try term()
        while true {
            if consume("+") { left = .binary(.add, left, try term()) } else if consume("-") { left = .binary(.subtract, left, try term()) } else { return left }
        }
    }

    mutating func term() throws(RuleSyntaxError) -> RuleExpression {
        var left = try factor()
        while true {
            if consume("*") || consume("×") {
                left = .binary(.multiply, left, try factor())
            } else {
                skipSpaces()
                if index < chars.count, chars[index] == "/" || chars[index] == "÷" {
                    throw error("规则语言不支持除法（为保证精确计算），请改写为乘法，如 a * 100 <= 50 * b")
                }
                return left
            }
        }
    }

    mutating func factor() throws(RuleSyntaxError) -> RuleExpression {
        skipSpaces()
        guard index < chars.count else { throw error("规则不完整：此处应为一个数值、单元格引用或函数") }
        let c = chars[index]
        if c == "-" {
            index += 1
            return .negate(try factor())
        }
        if c == "(" {
            index += 1
            let e = try expression()
            guard consume(")") else { throw error("缺少右括号 )") }
            return e
        }
        if c == "[" { return .cell(try cell()) }
        if c == "$" {
            index += 1
            let name = identifier()
            if name.isEmpty { throw error("$ 后应为参数名") }
            return .parameter(name)
        }
        if c.isASCII && c.isNumber { return .literal(try number()) }
        if c.isLetter {
            let start = index
            let name = identifier()
            guard let function = RuleFunction(rawValue: name) else {
                throw error("未知的函数「\(name)」（可用：abs、min、max、sum、last、integer）", at: start)
            }
            guard consume("(") else { throw error("函数 \(name) 后应为左括号 (") }
            var args: [RuleExpression] = []
            if !consume(")") {
                repeat { args.append(try expression()) } while consume(",")
                guard consume(")") else { throw error("缺少右括号 )") }
            }
            try checkArguments(function, args, at: start)
            return .function(function, args)
        }
        throw error("此处应为一个数值、单元格引用或函数，而不是「\(c)」")
    }

    func checkArguments(_ f: RuleFunction, _ args: [RuleExpression], at position: Int) throws(RuleSyntaxError) {
        switch f {
        case .abs, .last:
            guard args.count == 1 else { throw error("函数 \(f.rawValue) 需要1个参数", at: position) }
            if f == .last, case .cell = args[0] {} else if f == .last {
                throw error("last 的参数应为单元格引用，如 last([01:cur])", at: position)
            }
        case .min, .max:
            guard args.count >= 2 else { throw error("函数 \(f.rawValue) 至少需要2个参数", at: position) }
        case .sum:
            guard !args.isEmpty else { throw error("函数 sum 至少需要1个参数", at: position) }
        }
    }

    mutating func identifier() -> String {
        let start = index
        while index < chars.count, chars[index].isLetter || chars[index].isNumber || chars[index] == "_" { index += 1 }
        return String(chars[start..<index])
    }

    mutating func number() throws(RuleSyntaxError) -> ExactDecimal {
        let start = index
        while index < chars.count, (chars[index].isASCII && chars[index].isNumber) || chars[index] == "." { index += 1 }
        let literal = String(chars[start..<index])
        let parsed: ExactDecimal?
        do { parsed = try NumberInput.parse(literal) } catch { throw self.error(error.message, at: start) }
        guard let parsed else { throw self.error("数字格式不正确", at: start) }
        return parsed
    }

    /// `[01]`, `[01:cum]`, `[01@A]`, `[01@*]`, `[Q05.day]`, `[*]`, `[*:cur]`
    mutating func cell() throws(RuleSyntaxError) -> CellReference {
        let open = index
        index += 1
        skipSpaces()
        var code = ""
        if index < chars.count, chars[index] == "*" {
            code = "*"
            index += 1
        } else {
            while index < chars.count, chars[index].isLetter || chars[index].isNumber || chars[index] == "." || chars[index] == "_" {
                code.append(chars[index])
                index += 1
            }
        }
        if code.isEmpty { throw error("方括号内应为指标代码，如 [01]", at: index) }
        var reference = CellReference(code: code)
        skipSpaces()
        if index < chars.count, chars[index] == ":" {
            index += 1
            let column = identifier()
            if column.isEmpty { throw error("冒号后应为栏目代码（cum、cur、prev、next）") }
            reference.column = column
        }
        skipSpaces()
        if index < chars.count, chars[index] == "@" {
            index += 1
            skipSpaces()
            if index < chars.count, chars[index] == "*" {
                index += 1
                reference.member = .allMembers
            } else {
                let member = identifier()
                if member.isEmpty { throw error("@ 后应为分组代码（如行业门类 A 或区划代码 110000）") }
                reference.member = .member(member)
            }
        }
        skipSpaces()
        guard index < chars.count, chars[index] == "]" else {
            throw error("单元格引用没有结束（缺少 ]）", at: index < chars.count ? index : open)
        }
        index += 1
        return reference
    }
}

/// Primary safety rules, written as tau-Argus writes them: `P(p,n)` or `P(p,q,n)` (the p% rule),
/// `NK(n,k)` (dominance: the n largest contributors hold more than k% of the cell) and `FREQ(m,r)`
/// (fewer than m contributors; r is the safety range in percent of the cell value), joined by `|`.
///
/// Parameters are integers, so every rule is decided on exact integers (see `CellSensitivity`).
public enum SafetyRule: Sendable, Hashable, CustomStringConvertible {
    /// The p% rule: unsafe when the second largest contributor (an intruder holding n − 1 others'
    /// figures besides its own) can estimate the largest to within p/q of its value.
    case pPercent(p: Int, q: Int, n: Int)
    /// Dominance: unsafe when the n largest contributors hold more than k% of the cell.
    case dominance(n: Int, k: Int)
    /// Minimum frequency: unsafe when fewer than `minimum` contributors make the cell; the
    /// protection level is `range`% of the cell value.
    case frequency(minimum: Int, range: Int)

    public var description: String {
        switch self {
        case let .pPercent(p, q, n): q == 100 ? "P(\(p),\(n))" : "P(\(p),\(q),\(n))"
        case let .dominance(n, k): "NK(\(n),\(k))"
        case let .frequency(minimum, range): "FREQ(\(minimum),\(range))"
        }
    }
}

/// A rule string that cannot be used, with the part that is wrong.
public struct SafetyRuleError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The rules of one protection run.
public struct SafetyRules: Sendable, Hashable, CustomStringConvertible {
    public var rules: [SafetyRule]

    /// The platform's default: the p% rule with p = 10 against one intruder, and at least 3
    /// contributors with a 10% safety range (the and tau-Argus' usual choice).
    public static let standard = SafetyRules(rules: [.pPercent(p: 10, q: 100, n: 1), .frequency(minimum: 3, range: 10)])

    public init(rules: [SafetyRule]) { self.rules = rules }

    /// Reads a tau-Argus rule string such as `P(10,1)|FREQ(3,10)` or `NK(1,85)|NK(2,85)`.
    public static func parse(_ text: String) throws(SafetyRuleError) -> SafetyRules {
        var rules: [SafetyRule] = []
        for part in text.split(separator: "|", omittingEmptySubsequences: false) {
            rules.append(try parseRule(String(part)))
        }
        guard rules.count <= 16 else { throw SafetyRuleError(message: "规则过多（最多 16 条）：\(text)") }
        return SafetyRules(rules: rules)
    }

    private static func parseRule(_ raw: String) throws(SafetyRuleError) -> SafetyRule {
        let part = raw.filter { !$0.isWhitespace }
        guard let open = part.firstIndex(of: "("), part.last == ")" else {
            throw SafetyRuleError(message: "无法识别的保密规则“\(raw)”：应为 P(p,n)、P(p,q,n)、NK(n,k) 或 FREQ(m,r)")
        }
        let name = part[..<open].uppercased()
        let inner = part[part.index(after: open)..<part.index(before: part.endIndex)]
        var arguments: [Int] = []
        for piece in inner.split(separator: ",", omittingEmptySubsequences: false) {
            guard piece.count <= 9, let number = Int(piece), number >= 0 else {
                throw SafetyRuleError(message: "保密规则“\(raw)”的参数“\(piece)”不是非负整数")
            }
            arguments.append(number)
        }
        switch (name, arguments.count) {
        case ("P", 2): return try checkedP(p: arguments[0], q: 100, n: arguments[1], raw: raw)
        case ("P", 3): return try checkedP(p: arguments[0], q: arguments[1], n: arguments[2], raw: raw)
        case ("NK", 2):
            guard (1...20).contains(arguments[0]), (1...100).contains(arguments[1]) else {
                throw SafetyRuleError(message: "保密规则“\(raw)”：NK(n,k) 要求 1 ≤ n ≤ 20、1 ≤ k ≤ 100")
            }
            return .dominance(n: arguments[0], k: arguments[1])
        case ("FREQ", 2):
            guard (1...1_000).contains(arguments[0]), arguments[1] <= 100 else {
                throw SafetyRuleError(message: "保密规则“\(raw)”：FREQ(m,r) 要求 1 ≤ m ≤ 1000、0 ≤ r ≤ 100")
            }
            return .frequency(minimum: arguments[0], range: arguments[1])
        default:
            throw SafetyRuleError(message: "无法识别的保密规则“\(raw)”：应为 P(p,n)、P(p,q,n)、NK(n,k) 或 FREQ(m,r)")
        }
    }

    private static func checkedP(p: Int, q: Int, n: Int, raw: String) throws(SafetyRuleError) -> SafetyRule {
        guard (1...100).contains(p), (1...100).contains(q), p <= q, (1...20).contains(n) else {
            throw SafetyRuleError(message: "保密规则“\(raw)”：P(p,q,n) 要求 1 ≤ p ≤ q ≤ 100、1 ≤ n ≤ 20")
        }
        return .pPercent(p: p, q: q, n: n)
    }

    /// How many of a cell's largest contributions the rules look at.
    public var largestContributionsNeeded: Int {
        rules.reduce(1) { needed, rule in
            switch rule {
            case let .pPercent(_, _, n): max(needed, n + 1)
            case let .dominance(n, _): max(needed, n)
            case .frequency: needed
            }
        }
    }

    /// The canonical rule string (what a release records as its parameters' fingerprint).
    public var description: String { rules.map(\.description).joined(separator: "|") }
}

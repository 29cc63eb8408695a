/// 统一社会信用代码 (GB 32100-2015): 18 characters — 登记管理部门代码, 机构类别代码, 6-digit 登记管理机关
/// 行政区划码, 9-character 主体标识码 (组织机构代码, GB 11714, with its own check character), and a
/// final check character over the first 17.
public enum CreditCode {
    /// The 31 characters of the code, in value order (no I, O, S, V, Z).
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    public enum Problem: Error, Sendable, Equatable {
        case wrongLength(Int)
        case invalidCharacter(Character, position: Int)
        case badRegion(String)
        case badOrganisationCheck(expected: Character, found: Character)
        case badCheckCharacter(expected: Character, found: Character)

        public var message: String {
            switch self {
            case .wrongLength(let n): "统一社会信用代码应为18位，实际为\(n)位"
            case .invalidCharacter(let c, let p): "统一社会信用代码第\(p)位「\(c)」不是有效字符（只能是数字和除 I、O、S、V、Z 以外的大写字母）"
            case .badRegion(let r): "统一社会信用代码第3–8位应为行政区划码（6位数字），而不是「\(r)」"
            case .badOrganisationCheck(let e, let f): "统一社会信用代码第17位（组织机构代码校验码）应为「\(e)」，实际为「\(f)」，请核对是否抄错"
            case .badCheckCharacter(let e, let f): "统一社会信用代码第18位（校验码）应为「\(e)」，实际为「\(f)」，请核对是否抄错"
            }
        }
    }

    /// Checks a code; lower-case letters and surrounding spaces are tolerated.
    public static func validate(_ raw: String) throws(Problem) -> String {
        let code = NumberInput.normalizeWidth(raw).trimmingWhitespace().uppercased()
        let chars = Array(code)
        guard chars.count == 18 else { throw .wrongLength(chars.count) }
        for (i, c) in chars.enumerated() where !alphabet.contains(c) { throw .invalidCharacter(c, position: i + 1) }
        let region = String(chars[2..<8])
        guard region.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .badRegion(region) }
        // 主体标识码: positions 9–17, GB 11714 check on its first 8 characters.
        let expectedOrg = organisationCheck(chars)
        if chars[16] != expectedOrg { throw .badOrganisationCheck(expected: expectedOrg, found: chars[16]) }
        let expected = finalCheck(chars)
        if chars[17] != expected { throw .badCheckCharacter(expected: expected, found: chars[17]) }
        return code
    }

    /// GB 11714 character values: digits 0–9, letters A=10 … Z=35.
    static func organisationValue(_ c: Character) -> Int {
        guard let ascii = c.asciiValue else { return 0 }
        if ascii >= 48 && ascii <= 57 { return Int(ascii - 48) }
        return Int(ascii) - 55
    }

    /// Completes 17 characters with their check characters (for generating demo and test codes).
    /// The 17th character is replaced by the organisation-code check character.
    public static func completing(_ prefix17: String) -> String {
        var chars = Array(prefix17.uppercased())
        precondition(chars.count == 17)
        chars[16] = organisationCheck(chars)
        return String(chars) + String(finalCheck(chars))
    }

    /// GB 11714 check character of the 组织机构代码 (characters 9–16).
    static func organisationCheck(_ chars: [Character]) -> Character {
        let orgWeights = [3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for i in 0..<8 { sum += organisationValue(chars[8 + i]) * orgWeights[i] }
        let check = 11 - sum % 11
        return check == 10 ? "X" : (check == 11 ? "0" : Character(String(check)))
    }

    /// GB 32100 check character over the first 17 characters.
    static func finalCheck(_ chars: [Character]) -> Character {
        var sum = 0
        for i in 0..<17 { sum += (alphabet.firstIndex(of: chars[i]) ?? 0) * weights[i] }
        return alphabet[(31 - sum % 31) % 31]
    }
}

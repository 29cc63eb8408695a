/// One unit of the registry as submitted by an administrator or a CSV row, checked before storage.
public struct UnitRecord: Sendable, Equatable {
    public var creditCode: String
    public var name: String
    public var regionCode: String
    public var address: String
    public var types: [String]
    public var stateOwned: Bool
    public var internetPlatform: Bool
    public var telecomOperator: Bool
    public var parentCreditCode: String?
    public var contact: String
    /// GB/T 4754-2017 industry code (division, group or class: 2–4 digits) assigned by the statistics
    /// office; nil leaves a stored code as it is.
    public var industryCode: String?

    public init(creditCode: String, name: String, regionCode: String, address: String = "", types: [String], stateOwned: Bool = false,
                internetPlatform: Bool = false, telecomOperator: Bool = false, parentCreditCode: String? = nil, contact: String = "",
                industryCode: String? = nil) {
        self.creditCode = creditCode
        self.name = name
        self.regionCode = regionCode
        self.address = address
        self.types = types
        self.stateOwned = stateOwned
        self.internetPlatform = internetPlatform
        self.telecomOperator = telecomOperator
        self.parentCreditCode = parentCreditCode
        self.contact = contact
        self.industryCode = industryCode
    }

    /// Everything wrong with the record, in Chinese (empty when it may be stored).
    public func problems(survey: Survey, provinces: CodeList?, industryDivisions: CodeList? = nil) -> [String] {
        var found: [String] = []
        do { _ = try CreditCode.validate(creditCode) } catch { found.append(error.message) }
        if name.trimmingWhitespace().isEmpty { found.append("单位详细名称不能为空") }
        if name.count > 200 { found.append("单位详细名称过长（最多200字）") }
        let digits = regionCode.allSatisfy { $0.isASCII && $0.isNumber }
        if !digits || ![6, 9, 12].contains(regionCode.count) {
            found.append("区划代码「\(regionCode)」应为6位（或9、12位）数字")
        } else if let provinces, !provinces.contains(String(regionCode.prefix(2)) + "0000"), !regionCode.hasPrefix("66") {
            found.append("区划代码「\(regionCode)」不在全国省级行政区划（GB/T 2260）内")
        }
        if types.isEmpty { found.append("至少应有一个调查对象类型") }
        for type in types where survey.respondentType(type) == nil {
            let known = survey.respondentTypes.map { "\($0.id)（\($0.name)）" }.joined(separator: "、")
            found.append("未知的调查对象类型「\(type)」（可用：\(known)）")
        }
        if let parent = parentCreditCode, !parent.isEmpty, parent == creditCode { found.append("上级单位不能是本单位") }
        if let code = industryCode, !code.isEmpty {
            if !(2...4).contains(code.count) || !code.allSatisfy({ $0.isASCII && $0.isNumber }) {
                found.append("行业代码「\(code)」应为2至4位数字（GB/T 4754-2017 大类、中类或小类）")
            } else if let industryDivisions, !industryDivisions.contains(String(code.prefix(2))) {
                found.append("行业代码「\(code)」的大类「\(code.prefix(2))」不在国民经济行业分类（GB/T 4754-2017）中")
            }
        }
        return found
    }
}

/// A small RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF), enough for registry imports.
public enum CSV {
    public static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else {
                switch c {
                case "\"": quoted = true
                case ",": row.append(field); field = ""
                case "\n", "\r\n", "\r":
                    row.append(field); field = ""
                    if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
                    row = []
                default: field.append(c)
                }
            }
            i += 1
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}

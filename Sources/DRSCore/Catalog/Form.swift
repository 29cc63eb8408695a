/// One survey form (调查表) as the catalog describes it: its head, its rows or items, its rules.
public struct Form: Codable, Sendable {
    public var id: String
    public var tableNumber: String
    public var title: String
    public var group: String
    public var kind: Kind
    public var period: String
    public var scope: String
    public var reporters: String
    public var issuedBy: String
    public var approvedBy: String
    public var approvalNumber: String
    public var validUntil: String
    public var submissionMethod: String
    public var respondentTypes: [String]
    public var columns: [ColumnID]
    public var breakdown: Breakdown?
    public var notes: [String]
    public var source: Source
    public var indicators: [Indicator]?
    public var items: [Item]?
    public var rules: [Rule]
    public var seedIssues: [SeedIssue]?
    /// Which blank cells stop a submission (absent: every open cell of every row that applies).
    public var completeness: Completeness?

    /// The completeness policy of a form: blank is not zero, so a required cell must hold a figure
    /// (a typed 0 counts). `basis` quotes the seed, or says that it is silent.
    public struct Completeness: Codable, Sendable {
        public var cells: RequiredCells
        public var basis: String

        public enum RequiredCells: String, Codable, Sendable {
            /// Every open column of every row that applies to the unit (and every member of a breakdown).
            case allApplicable
            /// No numeric cell is required (basic-information forms say it per item instead).
            case none
        }

        public init(cells: RequiredCells, basis: String) {
            self.cells = cells
            self.basis = basis
        }

        /// Where the seed says nothing: every quantitative cell of a row that applies to the unit.
        public static let seedSilent = Completeness(
            cells: .allApplicable,
            basis: "制度未另行规定：适用于本单位的各行各栏均须填写，没有发生的填0（空白不等于0）")
    }

    /// The form's completeness policy, the default where the catalog gives none.
    public var completenessPolicy: Completeness {
        completeness ?? (kind == .basicInfo ? Completeness(cells: .none, basis: "按各项目的必填要求") : .seedSilent)
    }

    public enum Kind: String, Codable, Sendable {
        /// 公共1表, 企业1表: coded questions about the unit.
        case basicInfo
        /// Rows × the columns 截至本年 / 本年实际 / 上年同期 / 下年预估.
        case indicators
        /// Rows × the members of a code list (企业4表 by industry, 公共5表 by region), per year.
        case grid
    }

    /// Where the form comes from in the seed, and how a lost page was rebuilt.
    public struct Source: Codable, Sendable {
        public var pages: String?
        public var rebuilt: Bool
        public var how: String?
    }

    public var allIndicators: [Indicator] { indicators ?? [] }
    public var allItems: [Item] { items ?? [] }

    public func indicator(_ code: String) -> Indicator? { allIndicators.first { $0.code == code } }
    public func item(_ code: String) -> Item? { allItems.first { $0.code == code } }
}

/// A breakdown of a row (or of every row of a grid form) by the members of a code list.
public struct Breakdown: Codable, Sendable, Equatable {
    public var codelist: String
    /// The member that is the total of the others (公共5表: 全国), if printed as a row.
    public var total: String?
}

/// A numeric row of an indicators or grid form.
public struct Indicator: Codable, Sendable {
    public var code: String
    public var name: String
    public var printedName: String?
    public var unit: String
    public var section: String?
    public var parent: String?
    public var columns: [ColumnID]
    public var appliesTo: Applicability?
    public var breakdown: Breakdown?
    public var aggregation: Aggregation?
    public var definition: String?
    public var rebuilt: Bool?
    public var allowNegative: Bool?
    /// When the row is asked at all: an answer of the unit's basic-information form
    /// (`{"form":"E1","item":"Q10","equals":"1"}`: AI-product rows only when 是否开发 AI 产品 = 是).
    public var condition: Item.Condition?
}

/// Who fills a conditional block of rows, decided by the unit's flags in the registry.
public enum Applicability: String, Codable, Sendable {
    case telecomOperator, notTelecomOperator, stateOwned, internetPlatform

    public var chineseName: String {
        switch self {
        case .telecomOperator: "仅运营商企业填写"
        case .notTelecomOperator: "运营商企业无需填写"
        case .stateOwned: "仅国有企业填写"
        case .internetPlatform: "仅互联网平台企业填写"
        }
    }

    public func applies(to profile: UnitProfile) -> Bool {
        switch self {
        case .telecomOperator: profile.telecomOperator
        case .notTelecomOperator: !profile.telecomOperator
        case .stateOwned: profile.stateOwned
        case .internetPlatform: profile.internetPlatform
        }
    }
}

/// The flags of a unit that decide which optional parts of a form it fills.
public struct UnitProfile: Sendable, Equatable, Codable {
    public var telecomOperator: Bool
    public var stateOwned: Bool
    public var internetPlatform: Bool
    /// The unit's answers to basic-information choices this year, `"E1.Q10" → "2"`: they decide the
    /// rows asked by a condition (`Indicator.condition`). A question not yet answered asks the row.
    public var answers: [String: String]?

    public init(telecomOperator: Bool = false, stateOwned: Bool = false, internetPlatform: Bool = false,
                answers: [String: String]? = nil) {
        self.telecomOperator = telecomOperator
        self.stateOwned = stateOwned
        self.internetPlatform = internetPlatform
        self.answers = answers
    }
}

/// How national totals of a row are formed. Shares and averages are never summed.
public struct Aggregation: Codable, Sendable {
    public var method: Method
    /// For `weightedMean`: the base, a rule-language expression of the same form (`[16]`).
    public var weight: String?
    public var note: String?

    public enum Method: String, Codable, Sendable {
        case sum, weightedMean, none
    }
}

/// A question of a basic-information form (公共1表, 企业1表).
public struct Item: Codable, Sendable {
    public var code: String
    public var key: String?
    public var name: String
    public var type: AnswerType
    public var required: Bool?
    public var fields: [Item]?
    public var options: [Option]?
    public var maxChoices: Int?
    public var maxLength: Int?
    public var unit: String?
    public var level: String?
    public var multiple: Bool?
    public var codelist: String?
    public var filledBy: String?
    public var allowNegative: Bool?
    public var definition: String?
    public var condition: Condition?

    public struct Option: Codable, Sendable {
        public var code: String
        public var label: String
        public var withText: Bool?
        public var exclusive: Bool?
    }

    /// When an item (or a row) is asked: another item's answer, or the respondent type.
    public struct Condition: Codable, Sendable {
        /// The form of `item` when it is another form (a row of 企业5表 asked by 企业1表's Q10).
        public var form: String?
        public var item: String?
        public var equals: String?
        public var respondentType: String?
        /// The seed's wording the condition rests on.
        public var basis: String?
    }

    public var isNumeric: Bool { type == .number || type == .percentage }

    private enum CodingKeys: String, CodingKey {
        case code, key, name, type, required, fields, options, maxChoices, maxLength, unit, level, multiple, codelist
        case filledBy, allowNegative, definition, condition
    }

    /// Fields of a group carry a `key` instead of a `code`; either names the field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decodeIfPresent(String.self, forKey: .key)
        guard let code = try c.decodeIfPresent(String.self, forKey: .code) ?? key else {
            throw DecodingError.keyNotFound(CodingKeys.code, .init(codingPath: c.codingPath, debugDescription: "项目缺少 code 或 key"))
        }
        self.code = code
        name = try c.decode(String.self, forKey: .name)
        type = try c.decode(AnswerType.self, forKey: .type)
        required = try c.decodeIfPresent(Bool.self, forKey: .required)
        fields = try c.decodeIfPresent([Item].self, forKey: .fields)
        options = try c.decodeIfPresent([Option].self, forKey: .options)
        maxChoices = try c.decodeIfPresent(Int.self, forKey: .maxChoices)
        maxLength = try c.decodeIfPresent(Int.self, forKey: .maxLength)
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
        level = try c.decodeIfPresent(String.self, forKey: .level)
        multiple = try c.decodeIfPresent(Bool.self, forKey: .multiple)
        codelist = try c.decodeIfPresent(String.self, forKey: .codelist)
        filledBy = try c.decodeIfPresent(String.self, forKey: .filledBy)
        allowNegative = try c.decodeIfPresent(Bool.self, forKey: .allowNegative)
        definition = try c.decodeIfPresent(String.self, forKey: .definition)
        condition = try c.decodeIfPresent(Condition.self, forKey: .condition)
    }
    public var isRequired: Bool { required ?? false }
}

public enum AnswerType: String, Codable, Sendable {
    case text, creditCode, divisionCode, urbanRuralCode, industryCode
    case singleChoice, multipleChoice, number, percentage, yearMonth
    case email, phone, mobile, areaCode, postcode, url, group

    public var chineseName: String {
        switch self {
        case .text: "文本"
        case .creditCode: "统一社会信用代码（18位）"
        case .divisionCode: "区划代码（12位）"
        case .urbanRuralCode: "城乡代码（3位）"
        case .industryCode: "行业代码（GB/T 4754-2017）"
        case .singleChoice: "单选"
        case .multipleChoice: "多选"
        case .number: "数值"
        case .percentage: "百分比"
        case .yearMonth: "年月（YYYY-MM）"
        case .email: "电子邮箱"
        case .phone: "固定电话"
        case .mobile: "移动电话"
        case .areaCode: "长途区号"
        case .postcode: "邮政编码（6位）"
        case .url: "网址"
        case .group: "组合项"
        }
    }
}

/// A check of a form, in the rule language.
public struct Rule: Codable, Sendable {
    public var id: String
    public var expr: String
    public var seed: String?
    public var columns: [ColumnID]
    public var severity: Severity
    public var origin: Origin
    public var message: String?
    public var needsExplanation: Bool?

    public enum Origin: String, Codable, Sendable {
        /// A 审核关系 printed in the seed.
        case printed
        /// A check the notes imply (grid totals, shares adding to 100%).
        case implied
        /// Expanded from a rule template of survey.json (non-negative, integer, year over year).
        case template
    }

    public init(id: String, expr: String, seed: String? = nil, columns: [ColumnID], severity: Severity,
                origin: Origin, message: String? = nil, needsExplanation: Bool? = nil) {
        self.id = id
        self.expr = expr
        self.seed = seed
        self.columns = columns
        self.severity = severity
        self.origin = origin
        self.message = message
        self.needsExplanation = needsExplanation
    }
}

/// An inconsistency of the seed kept as printed rather than silently fixed.
public struct SeedIssue: Codable, Sendable {
    public var ref: String
    public var issue: String
}

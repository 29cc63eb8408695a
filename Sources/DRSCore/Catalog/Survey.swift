/// Edition-level metadata of the survey (catalog/<edition>/survey.json): the columns, the units of
/// measure, who files which form, the deadline, and the rule templates every form inherits.
public struct Survey: Codable, Sendable {
    public var schemaVersion: Int
    public var edition: String
    public var title: String
    public var issuedBy: String
    public var approvedBy: String
    public var approvalNumber: String
    public var issued: String?
    public var validUntil: String
    public var reportingYears: YearRange
    public var deadline: Deadline
    public var frequency: String?
    public var referencePeriod: String?
    public var yearOverYear: YearOverYearPolicy
    public var columns: [Column]
    public var units: [MeasureUnit]
    public var respondentTypes: [RespondentType]
    public var ruleTemplates: [RuleTemplate]
    /// 统计信息共享 (附录七、八): what the annual package for the statistics bureau contains.
    public var sharing: Sharing?

    public struct Sharing: Codable, Sendable {
        public var title: String
        public var recipients: [String]
        /// Figures grouped by theme (数据供给, 数据流通, 数据应用, 数据安全): a row belongs to the first theme
        /// whose `forms` contain its form or one of whose `sectionKeywords` occurs in its section.
        public var themes: [Theme]
        /// Groupings of the package's tables besides the national total (分地区: `province`).
        public var groupings: [[String]]

        public struct Theme: Codable, Sendable {
            public var id: String
            public var name: String
            public var forms: [String]?
            public var sectionKeywords: [String]?
        }

        /// The theme of a row of a form, if any.
        public func theme(form: String, section: String?) -> Theme? {
            themes.first { theme in
                if theme.forms?.contains(form) == true { return true }
                guard let section else { return false }
                return theme.sectionKeywords?.contains { section.contains($0) } == true
            }
        }
    }

    public struct YearRange: Codable, Sendable {
        public var from: Int
        public var to: Int
        public func contains(_ year: Int) -> Bool { year >= from && year <= to }
    }

    /// 次年3月10日前: the month and day in the year after the data year.
    public struct Deadline: Codable, Sendable {
        public var monthOfFollowingYear: Int
        public var day: Int
    }

    public func column(_ id: ColumnID) -> Column? { columns.first { $0.id == id } }
    public func unit(_ id: String) -> MeasureUnit? { units.first { $0.id == id } }
    public func respondentType(_ id: String) -> RespondentType? { respondentTypes.first { $0.id == id } }
}

/// Year-over-year review: a change of 本年实际 against last year's figure beyond `threshold` percent
/// is a warning to be explained, unless last year's figure is below `minimumBase` (tiny bases).
public struct YearOverYearPolicy: Codable, Sendable {
    public var threshold: ExactDecimalText
    public var minimumBase: ExactDecimalText
    public var note: String?

    public init(threshold: ExactDecimal, minimumBase: ExactDecimal, note: String? = nil) {
        self.threshold = ExactDecimalText(threshold)
        self.minimumBase = ExactDecimalText(minimumBase)
        self.note = note
    }
}

/// Column ids: `cum` 截至本年, `cur` 本年实际, `prev` 上年同期, `next` 下年预估; `value` is the single
/// pseudo-column of a basic-information field.
public typealias ColumnID = String

public struct Column: Codable, Sendable {
    public var id: ColumnID
    public var name: String
    public var note: String?
}

/// A unit of measure and what it implies for checks (integer counts, shares within 0–100).
public struct MeasureUnit: Codable, Sendable {
    public var id: String
    public var name: String
    public var kind: Kind
    public var decimals: Int
    public var integer: Bool?

    public enum Kind: String, Codable, Sendable {
        case volume, money, count, share, rate, duration, people
    }

    public var isInteger: Bool { integer ?? false }
}

public struct RespondentType: Codable, Sendable {
    public var id: String
    public var name: String
    public var description: String?
    public var forms: [String]
    public var registry: [String]?
    /// Forms a headquarters of this type consolidates from its subsidiaries (中央企业: 企业2表).
    public var consolidates: [String]?
    /// The channel its forms come through (absent: the regular online channel, reviewed by the
    /// unit's province or headquarters). 公共5表 comes through the public-security channel.
    public var channel: FilingChannel?

    /// The channel of this type's forms.
    public var filingChannel: FilingChannel { channel ?? .regular }
}

/// How a respondent type's forms reach the national office (一、总说明): the filers of a channel fill
/// only its forms, and the channel decides who reviews them (the access table in DRSWorkflow).
public enum FilingChannel: String, Codable, Sendable, CaseIterable {
    /// Filled online by the unit; reviewed by its province, or its headquarters for a subsidiary.
    case regular
    /// 重点行业协会商会: filled online by the association's own account (行业1表).
    case industryAssociation
    /// 公安机关（网络与信息安全信息通报机制）: 公安部 reports 公共5表 straight to the national office.
    case publicSecurity
}

/// A rule written once for many rows: `[*]` stands for every row matched by `forEach`.
public struct RuleTemplate: Codable, Sendable {
    public var id: String
    public var name: String
    public var expr: String
    public var severity: Severity
    public var forEach: RowFilter
    public var needsExplanation: Bool?
    /// Chinese message with placeholders {name} {code} {column} {value} {last} {change} {threshold}.
    public var message: String?

    public struct RowFilter: Codable, Sendable {
        /// Only rows whose unit has this kind.
        public var unitKind: MeasureUnit.Kind?
        /// Only rows whose unit must hold whole numbers.
        public var integer: Bool?
        /// Only rows that may not be negative (excludes fields marked `allowNegative`).
        public var nonNegative: Bool?
        /// Only rows that have this column (and the template is checked in it alone).
        public var column: ColumnID?
    }
}

/// A decimal written as a JSON string in catalog files ("50"), decoded exactly.
public struct ExactDecimalText: Codable, Sendable {
    public var value: ExactDecimal

    public init(_ value: ExactDecimal) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            guard let parsed = try NumberInput.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "empty decimal")
            }
            value = parsed
        } catch let problem as NumberInput.Problem {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: problem.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value.description)
    }
}

public enum Severity: String, Codable, Sendable {
    case error, warning
    /// A soft note that needs no action (a sum that differs only by rounding): never blocks.
    case note

    public var chineseName: String {
        switch self {
        case .error: "错误"
        case .warning: "提示"
        case .note: "提醒"
        }
    }
}

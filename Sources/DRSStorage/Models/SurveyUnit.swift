import DRSCore
import FluentKit
import Foundation

/// A unit of the registry (调查单位名录库): who reports, where, of which respondent type(s).
public final class SurveyUnit: Model, @unchecked Sendable {
    public static let schema = "units"

    @ID(key: .id) public var id: UUID?
    /// 统一社会信用代码 (validated with its GB 32100-2015 check characters before it gets here).
    @Field(key: "credit_code") public var creditCode: String
    @Field(key: "name") public var name: String
    /// GB/T 2260 code of the unit's province (6 digits), or a finer division code.
    @Field(key: "region_code") public var regionCode: String
    @Field(key: "address") public var address: String
    /// Respondent type ids of survey.json, comma-separated (a unit may be of several types).
    @Field(key: "types") public var types: String
    @Field(key: "state_owned") public var stateOwned: Bool
    @Field(key: "internet_platform") public var internetPlatform: Bool
    @Field(key: "telecom_operator") public var telecomOperator: Bool
    /// The headquarters of a central-enterprise subsidiary.
    @OptionalParent(key: "parent_id") public var parent: SurveyUnit?
    @Field(key: "contact") public var contact: String
    /// GB/T 4754-2017 industry code (class or division) assigned by the statistics office; decides
    /// the unit's industry section in aggregates. Empty until assigned.
    @OptionalField(key: "industry_code") public var industryCode: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, creditCode: String, name: String, regionCode: String, address: String = "", types: [String],
                stateOwned: Bool = false, internetPlatform: Bool = false, telecomOperator: Bool = false,
                parentID: UUID? = nil, contact: String = "") {
        self.id = id
        self.creditCode = creditCode
        self.name = name
        self.regionCode = regionCode
        self.address = address
        self.types = types.joined(separator: ",")
        self.stateOwned = stateOwned
        self.internetPlatform = internetPlatform
        self.telecomOperator = telecomOperator
        self.$parent.id = parentID
        self.contact = contact
    }

    public var typeList: [String] { types.split(separator: ",").map(String.init) }

    /// The respondent type under which the unit files a form (its first type, if none files it).
    public func respondentType(filing formID: String, in survey: Survey) -> String {
        Self.respondentType(of: typeList, filing: formID, in: survey)
    }
    /// The first two digits of the region code: the province.
    public var provinceCode: String { Self.provinceCode(of: regionCode) }

    static func respondentType(of types: [String], filing formID: String, in survey: Survey) -> String {
        types.first { survey.respondentType($0)?.forms.contains(formID) == true } ?? types.first ?? ""
    }

    static func provinceCode(of regionCode: String) -> String { String(regionCode.prefix(2)) + "0000" }
}

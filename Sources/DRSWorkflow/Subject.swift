/// The account asking: its role and what it is bound to. Plain values, so the access decision can
/// be computed and tested without a database or a request.
public struct Subject: Sendable, Equatable {
    public enum Role: String, Codable, Sendable, CaseIterable {
        /// 填报人: fills the regular forms of one unit.
        case respondent
        /// 省级审核: reviews the units of a province that report through it.
        case provincialReviewer
        /// 央企总部审核: fills its headquarters' forms, reviews and consolidates its subsidiaries.
        case headquartersReviewer
        /// 行业协会: fills the industry-association channel's forms of its unit (行业1表).
        case association
        /// 公安: fills the public-security channel's forms of its unit (公共5表).
        case publicSecurity
        /// 国家数据局: sees and acts on everything.
        case admin

        /// Accounts that review others' submissions.
        public var isReviewer: Bool { self == .provincialReviewer || self == .headquartersReviewer || self == .admin }
    }

    public var role: Role
    /// The unit the account files for (filers, headquarters), if any.
    public var unitID: String?
    /// The region code (GB/T 2260) a provincial reviewer is bound to.
    public var region: String?

    public init(role: Role, unitID: String? = nil, region: String? = nil) {
        self.role = role
        self.unitID = unitID
        self.region = region
    }
}

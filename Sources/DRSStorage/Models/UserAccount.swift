import DRSWorkflow
import FluentKit
import Foundation

/// What an account may do, and over whom: the access table's roles (DRSWorkflow), stored by name.
public typealias Role = Subject.Role

/// A login account.
public final class UserAccount: Model, @unchecked Sendable {
    public static let schema = "users"

    @ID(key: .id) public var id: UUID?
    @Field(key: "username") public var username: String
    @Field(key: "display_name") public var displayName: String
    /// Bcrypt hash.
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "role") public var role: Role
    /// respondent, association, publicSecurity: the unit they file for; headquartersReviewer: the group's headquarters.
    @OptionalParent(key: "unit_id") public var unit: SurveyUnit?
    /// provincialReviewer: the province's region code.
    @OptionalField(key: "region_code") public var regionCode: String?
    @Field(key: "must_change_password") public var mustChangePassword: Bool
    @Field(key: "failed_logins") public var failedLogins: Int
    @OptionalField(key: "locked_until") public var lockedUntil: Date?
    /// Disabled (停用) by the national office: the account cannot log in and has no sessions.
    @Field(key: "disabled") public var disabled: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, username: String, displayName: String, passwordHash: String, role: Role,
                unitID: UUID? = nil, regionCode: String? = nil, mustChangePassword: Bool = true) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role
        self.$unit.id = unitID
        self.regionCode = regionCode
        self.mustChangePassword = mustChangePassword
        self.failedLogins = 0
        self.disabled = false
    }
}
